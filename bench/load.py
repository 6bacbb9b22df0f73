"""A small HTTP load loop, for machines without wrk: `python bench/load.py URL [-c 8] [-d 10]`.

Runs C client processes for D seconds, each sending one GET after another on a new connection
(as gunicorn's sync workers close each), and prints requests per second and latency
percentiles. The clients share the machine with the server: compare runs, not absolute numbers.
"""

import argparse
import http.client
import multiprocessing
import statistics
import time
import urllib.parse


def client(url: str, seconds: float, results) -> None:
    parts = urllib.parse.urlsplit(url)
    path = parts.path or "/"
    latencies, errors = [], 0
    end = time.monotonic() + seconds
    while (start := time.monotonic()) < end:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors += 1
        except OSError:
            errors += 1
        finally:
            connection.close()
        latencies.append(time.monotonic() - start)
    results.put((latencies, errors))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("-c", "--connections", type=int, default=8)
    parser.add_argument("-d", "--duration", type=float, default=10.0)
    args = parser.parse_args()

    results = multiprocessing.Queue()
    clients = [
        multiprocessing.Process(target=client, args=(args.url, args.duration, results))
        for _ in range(args.connections)
    ]
    for process in clients:
        process.start()
    latencies, errors = [], 0
    for _ in clients:
        some, failed = results.get()
        latencies += some
        errors += failed
    for process in clients:
        process.join()

    latencies.sort()
    p50, p99 = (latencies[int(len(latencies) * q)] * 1000 for q in (0.5, 0.99))
    print(
        f"{len(latencies) / args.duration:,.0f} requests/s over {args.duration:.0f}s with "
        f"{args.connections} clients; {errors} errors; latency p50 {p50:.1f} ms, "
        f"p99 {p99:.1f} ms, max {latencies[-1] * 1000:.0f} ms, "
        f"mean {statistics.mean(latencies) * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
