# Benchmarks print figures; they are run by hand (see README), never collected as tests.
collect_ignore_glob = ["bench_*.py"]
