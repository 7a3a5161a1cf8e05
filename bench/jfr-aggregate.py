import json, sys, collections, re
data = json.load(open(sys.argv[1]))
events = data['recording']['events']
thread_filter = sys.argv[2] if len(sys.argv) > 2 else 'firstUse'
OPS = [  # outermost-first matching on the stack (from the bottom): the request-path operation
    ('token lookup (findByToken)', re.compile(r'CachingTokenStore\.findByToken|JdbiTokenStore.*findByToken')),
    ('TOK-6 markUsed', re.compile(r'TokenUseMarks\.markUsed|CachingTokenStore\.markUsed')),
    ('MAU record', re.compile(r'MauRecorder\.record|MonthlyActiveUsers\.')),
    ('auth blocking', re.compile(r'AuthBlocking\.')),
    ('client IP record', re.compile(r'ClientIpRecorder\.record')),
    ('FLOOD ratelimit', re.compile(r'org\.matrixauth\.ratelimit\.')),
    ('mock request/response (bench)', re.compile(r'FilterBenchmark\.request|org\.springframework\.mock')),
    ('filter other', re.compile(r'org\.matrixauth\.')),
]
LAYERS = [
    ('setNetworkTimeout', re.compile(r'setNetworkTimeout|WatchedConnections\.limitReads')),
    ('HikariCP', re.compile(r'^com\.zaxxer\.')),
    ('pgjdbc', re.compile(r'^org\.postgresql\.')),
    ('JDBI', re.compile(r'^org\.jdbi\.')),
    ('Caffeine', re.compile(r'^com\.github\.benmanes\.')),
    ('JDK net/nio', re.compile(r'^(sun\.nio|java\.net|sun\.net|java\.nio)')),
    ('JDK reflect/invoke', re.compile(r'^(java\.lang\.reflect|java\.lang\.invoke|jdk\.internal\.reflect|sun\.reflect)')),
    ('JDK other', re.compile(r'^(java\.|jdk\.|sun\.)')),
    ('matrixauth', re.compile(r'^org\.matrixauth\.')),
    ('spring mock', re.compile(r'^org\.springframework\.')),
]
def name(f):
    m = f['method']; t = m['type']['name'].replace('/', '.')
    return t + '.' + m['name']
def thread(e):
    st = e['values'].get('sampledThread') or e['values'].get('eventThread') or {}
    return (st.get('javaName') or st.get('osName') or '?')
import datetime
def ts(e): return datetime.datetime.fromisoformat(e['values']['startTime'][:26].rstrip('Z'))
def in_bench(e):
    return any('FilterBenchmark.firstUse' in (f['method']['type']['name'].replace('/', '.') + '.' + f['method']['name']) or 'bareServlet' in f['method']['name'] for f in e['values']['stackTrace']['frames'])
last = max(ts(e) for e in events if e['type'] == 'jdk.ExecutionSample' and thread_filter in thread(e) and in_bench(e))
window = float(sys.argv[3]) if len(sys.argv) > 3 else 20.0
events = [e for e in events if e['type'] not in ('jdk.ExecutionSample', 'jdk.NativeMethodSample')
          or (ts(e) >= last - datetime.timedelta(seconds=window) and (thread_filter not in thread(e) or in_bench(e)))]
print(f'window: the last {window} s of benchmark samples (the measurement iterations), up to {last}')
for kind in ('jdk.ExecutionSample', 'jdk.NativeMethodSample'):
    samples = [e for e in events if e['type'] == kind]
    mine = [e for e in samples if thread_filter in thread(e)]
    others = collections.Counter(thread(e) for e in samples if thread_filter not in thread(e))
    print(f'\n=== {kind}: {len(mine)} samples on the benchmark thread, {len(samples)-len(mine)} elsewhere')
    print('   other threads:', others.most_common(6))
    if not mine: continue
    op_c = collections.Counter(); layer_c = collections.Counter(); grid = collections.Counter(); top = collections.Counter()
    incl = collections.Counter(); jdbi_c = collections.Counter()
    for e in mine:
        frames = [name(f) for f in e['values']['stackTrace']['frames']]  # top first
        cut = next((i for i, fr in enumerate(frames) if 'FilterBenchmark.firstUse' in fr or 'FilterBenchmark.bareServlet' in fr), None)
        if cut is not None: frames = frames[:cut + 1]
        jd = next((fr for fr in frames if fr.startswith('org.jdbi.')), None)
        if jd and not any(fr.startswith(('org.postgresql.', 'com.zaxxer.')) for fr in frames[:frames.index(jd)]):
            parts = jd.split('.'); jdbi_c[ '.'.join(parts[3:-2]) + ' ' + parts[-2]] += 1
        op = 'outside the filter'
        for label, rx in OPS:
            if any(rx.search(fr) for fr in reversed(frames)):
                op = label; break
        layer = 'other'
        # setNetworkTimeout inclusive wins; else the innermost frame's library
        if any(LAYERS[0][1].search(fr) for fr in frames):
            layer = 'setNetworkTimeout'
        else:
            for fr in frames:
                hit = next((l for l, rx in LAYERS[1:] if rx.search(fr)), None)
                if hit and hit not in ('JDK other', 'JDK net/nio', 'JDK reflect/invoke'):
                    layer = hit; break
                if hit and layer == 'other':
                    layer = hit  # remember JDK, keep looking for a library beneath
        op_c[op] += 1; layer_c[layer] += 1; grid[(op, layer)] += 1; top[frames[0]] += 1
        for key, rx in [('JDBI onDemand/extension machinery', r'org\.jdbi\.v3\.core\.extension|OnDemandExtensions'),
                        ('JDBI Handle open/close', r'Jdbi\.open|Handle\.close|Jdbi\.withHandle|Handle\.<init>|HandleSupplier'),
                        ('JDBI mapper (ConstructorMapper/reflect)', r'org\.jdbi\.v3\.core\.mapper'),
                        ('JDBI statement render/parse', r'Template|SqlParser|ColonPrefix|DefinedAttribute|StatementEngine|ParsedSql|render'),
                        ('JDBI any', r'^org\.jdbi'),
                        ('HikariCP getConnection', r'HikariDataSource\.getConnection|HikariPool\.getConnection'),
                        ('Hikari close/reset', r'ProxyConnection\.close|PoolBase\.resetConnectionState'),
                        ('pgjdbc any', r'^org\.postgresql'),
                        ('setNetworkTimeout', r'setNetworkTimeout'),
                        ('JDBC executeQuery/Update', r'PgPreparedStatement\.execute'),
                        ('reflection', r'java\.lang\.reflect|jdk\.internal\.reflect|getEnclosingMethod|getDeclaredMethods')]:
            if any(re.search(rx, fr) for fr in frames): incl[key] += 1
    n = len(mine)
    print(' by request-path operation (inclusive, outermost):')
    for k, v in op_c.most_common(): print(f'   {100*v/n:5.1f}%  {k}')
    print(' by layer (innermost library):')
    for k, v in layer_c.most_common(): print(f'   {100*v/n:5.1f}%  {k}')
    print(' inclusive markers:')
    for k, v in incl.most_common(): print(f'   {100*v/n:5.1f}%  {k}')
    print(' JDBI own time by innermost JDBI class:')
    for k, v in jdbi_c.most_common(20): print(f'   {100*v/n:5.1f}%  {k}')
    print(' operation x layer:')
    for (o, l), v in grid.most_common(25): print(f'   {100*v/n:5.1f}%  {o} / {l}')
    print(' top frames (self):')
    for k, v in top.most_common(25): print(f'   {100*v/n:5.1f}%  {k}')
