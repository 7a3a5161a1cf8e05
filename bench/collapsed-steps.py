"""Sums an async-profiler profile of the HTTP server (collapsed stacks, one "frame;frame;... count"
line each, taken with event=itimer and threads, so that each stack starts with its thread's name)
by where the time went: the filter's request steps, the libraries under them, and the threads
beside the requests (the background's batched writes, GC, the JIT).
Usage: python3 bench/collapsed-steps.py PROFILE.collapsed [CPU_US_PER_REQUEST]
With the server's CPU µs per request over the profiled runs (http-load.sh's table), shares are also
printed as µs per request. They are not derived from the sampling interval: on this machine the
kernel's timer gives one itimer sample per few milliseconds of CPU, whatever interval is asked."""
import collections, re, sys

STEPS = [  # the first that matches any frame of a stack, from its bottom, names the step
    ('token lookup (TOK-1, cache miss)', r'CachingTokenStore\.findByToken'),
    ('TOK-6 mark queued / written', r'TokenUseMarks\.'),
    ('MAU (TRK-6)', r'MauRecorder\.|MonthlyActiveUsers\.'),
    ('blocking (BLK)', r'AuthBlocking\.'),
    ('client-IP record (TRK-1)', r'ClientIpRecorder\.record|BatchingClientIpRecorder\.record'),
    ('FLOOD', r'org\.matrixauth\.ratelimit\.'),
    ('filter, other', r'org\.matrixauth\.'),
]
LIBRARIES = [  # the innermost frame of a library names where the time went
    ('pgjdbc', r'^org[./]postgresql'), ('HikariCP', r'^com[./]zaxxer'), ('JDBI', r'^org[./]jdbi'),
    ('Caffeine', r'^com[./]github[./]benmanes'), ('Jackson', r'^com[./]fasterxml'),
    ('Bucket4j', r'^io[./]github[./]bucket4j'), ('matrix-auth-filter', r'^org[./]matrixauth'),
]
STEPS = [(label, re.compile(rx)) for label, rx in STEPS]
LIBRARIES = [(label, re.compile(rx)) for label, rx in LIBRARIES]


def read(path):
    for line in open(path):
        stack, _, count = line.rstrip('\n').rpartition(' ')
        if stack:
            yield stack.split(';'), int(count)


def thread_kind(thread):
    if 'matrix-auth-filter' in thread:
        return 'background (batched writes, listener)'
    if re.search(r'GC|G1|Gang|Conc', thread):
        return 'GC'
    if re.search(r'Compiler|C1|C2', thread):
        return 'JIT'
    if 'qtp' in thread or 'http' in thread.lower():
        return 'request threads'
    return 'other threads'


def main():
    path = sys.argv[1]
    cpu_per_request = float(sys.argv[2]) if len(sys.argv) > 2 else 0
    threads, steps, libraries, grid, jdbi = (collections.Counter() for _ in range(5))
    total = in_filter = 0
    for frames, count in read(path):
        total += count
        thread = frames[0].strip('[]')
        threads[thread_kind(thread)] += count
        if not any('MatrixAuthFilter.doFilter' in f for f in frames):
            continue
        in_filter += count
        step = next((label for label, rx in STEPS if any(rx.search(f) for f in frames)), 'filter, other')
        library = next((label for f in reversed(frames) for label, rx in LIBRARIES if rx.search(f)), 'JDK')
        steps[step] += count
        libraries[library] += count
        grid[(step, library)] += count
        inner_jdbi = next((f for f in reversed(frames) if f.startswith(('org/jdbi', 'org.jdbi'))), None)
        if inner_jdbi and library == 'JDBI':
            jdbi[re.sub(r'[./][^./]*$', '', inner_jdbi).replace('/', '.')] += count

    def row(label, count, whole):
        per_request = f'  {cpu_per_request * count / total:7.1f} µs/req' if cpu_per_request else ''
        print(f'  {100 * count / whole:5.1f} %{per_request}  {label}')

    print(f'{total} samples; {in_filter} under MatrixAuthFilter.doFilter')
    print('by thread (share of all samples):')
    for label, count in threads.most_common():
        row(label, count, total)
    for title, counter in (('by request step (share of the filter\'s samples)', steps),
                           ('by library, innermost', libraries),
                           ('step x library', grid), ('JDBI, by innermost class', jdbi)):
        print(title + ':')
        for label, count in counter.most_common(15):
            row(label if isinstance(label, str) else ' / '.join(label), count, max(in_filter, 1))


main()
