"""A user's program that chooses its start method itself."""
import multiprocessing as mp


def child():
    print("child ran", flush=True)


if __name__ == "__main__":
    mp.set_start_method("fork")
    print("method", mp.get_start_method(), flush=True)
    p = mp.Process(target=child)
    p.start()
    p.join()
