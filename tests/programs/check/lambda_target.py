"""A program whose Process target is a lambda: fine under fork, not picklable elsewhere."""
import multiprocessing as mp

if __name__ == "__main__":
    p = mp.Process(target=lambda: print("child ran", flush=True))
    p.start()
    p.join(20)
    print("exit code", p.exitcode)
