"""A program without the `if __name__ == "__main__":` guard."""
import multiprocessing as mp


def work():
    print("child ran", flush=True)


p = mp.Process(target=work)
p.start()
p.join(20)
print("child exit code", p.exitcode, flush=True)
