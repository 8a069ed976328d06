#!/usr/bin/python3
"""Start-up of the helper as a user meets it: the browser spawns the native host, sends `hello`, and the
host, finding no daemon, starts one and answers once the daemon is up. Prints the time from spawning the
host to the reply, per round, for one way of running the host; plus `--version` of the magnetar command.

Usage: startup-bench.py ROUNDS HOST_COMMAND... -- VERSION_COMMAND...
Each round starts with no daemon running; the data folder persists across rounds (so the daemon's
class archive, written by round 1, is used from round 2 on, as for a user). A benchmark: prints figures,
asserts nothing. packaging/linux/startup-bench.sh runs it for the packaged helper and for the jar.
"""
import json, os, resource, signal, struct, subprocess, sys, tempfile, time

EXTENSION_ORIGIN = 'chrome-extension://ighcbjpaekabdiphmkfgookimbgnoogf/'


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def daemon_cpu(data):
    """CPU seconds the daemon has used so far (utime + stime from /proc; it is not our child)."""
    pid = json.load(open(os.path.join(data, 'daemon.json')))['pid']
    fields = open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def first_hello(host, data):
    """Wall time to the reply, and the CPU the host and the daemon it started used for it."""
    env = dict(os.environ, MAGNETAR_HOME=data, MAGNETAR_PEER_BIND='127.0.0.1')
    cpu_before = children_cpu()
    start = time.monotonic()
    p = subprocess.Popen(host + [EXTENSION_ORIGIN], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    msg = json.dumps({'type': 'hello', 'id': '1', 'extensionVersion': '0.1.0'}).encode()
    p.stdin.write(struct.pack('<I', len(msg)) + msg)
    p.stdin.flush()
    n = struct.unpack('<I', p.stdout.read(4))[0]
    reply = json.loads(p.stdout.read(n))
    elapsed = time.monotonic() - start
    daemon = daemon_cpu(data)
    p.stdin.close()
    p.wait(timeout=30)
    return elapsed, daemon + children_cpu() - cpu_before, reply


def stop_daemon(data):
    state = os.path.join(data, 'daemon.json')
    if not os.path.exists(state):
        return
    pid = json.load(open(state))['pid']
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    for _ in range(300):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)


def main():
    rounds = int(sys.argv[1])
    sep = sys.argv.index('--')
    host, version = sys.argv[2:sep], sys.argv[sep + 1:]
    data = tempfile.mkdtemp(prefix='magnetar-startup-')
    with open(os.path.join(data, 'settings.json'), 'w') as f:
        json.dump({'downloadDir': os.path.join(data, 'downloads'), 'quitWithBrowser': False, 'listenPort': 0,
                   'network': 'devnet', 'devnetPort': 0}, f)
    hellos = []
    cpus = []
    try:
        for i in range(rounds):
            elapsed, cpu, reply = first_hello(host, data)
            stop_daemon(data)
            hellos.append(elapsed)
            cpus.append(cpu)
            print(f'round {i + 1}: first hello {elapsed * 1000:.0f} ms, {cpu:.2f} s CPU ({reply.get("type")})', flush=True)
    finally:
        stop_daemon(data)
        subprocess.run(['rm', '-rf', data])
    versions = []
    version_cpus = []
    for _ in range(rounds):
        before = children_cpu()
        start = time.monotonic()
        subprocess.run(version + ['--version'], stdout=subprocess.DEVNULL, check=True)
        versions.append(time.monotonic() - start)
        version_cpus.append(children_cpu() - before)
    later = sorted(hellos[1:]) or hellos
    later_cpu = sorted(cpus[1:]) or cpus
    print(f'first hello: round 1 {hellos[0] * 1000:.0f} ms / {cpus[0]:.2f} s CPU; later rounds median '
          f'{later[len(later) // 2] * 1000:.0f} ms (min {later[0] * 1000:.0f}) / {later_cpu[len(later_cpu) // 2]:.2f} s CPU')
    versions.sort()
    version_cpus.sort()
    print(f'--version: median {versions[len(versions) // 2] * 1000:.0f} ms (min {versions[0] * 1000:.0f}) / '
          f'{version_cpus[len(version_cpus) // 2]:.2f} s CPU')


if __name__ == '__main__':
    main()
