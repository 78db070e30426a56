#!/usr/bin/env bash
# Starts a one-node Slurm cluster on this machine for the gateway's Slurm tests: munge, slurmctld
# and slurmd as root, without systemd, every file under one directory (default
# ${TMPDIR:-/tmp}/snet-slurm). Idempotent: when the cluster of that directory already answers, it
# only prints its settings. Prints `SLURM_CONF=<file>`: export it for sbatch, squeue and the gateway.
#
#   scripts/start-slurm.sh            # start (or find) the cluster
#   scripts/start-slurm.sh --stop     # stop its daemons (by their PID files)
#
# Needs Debian's slurm-wlm and munge (apt-get install slurm-wlm munge) and root.
set -euo pipefail

root="${SNET_SLURM_DIR:-${TMPDIR:-/tmp}/snet-slurm}"
conf="$root/slurm.conf"
export SLURM_CONF="$conf"

stop() {
  for daemon in slurmd slurmctld; do
    if [[ -f "$root/run/$daemon.pid" ]]; then
      pid="$(cat "$root/run/$daemon.pid")"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      rm -f "$root/run/$daemon.pid"
    fi
  done
}

if [[ "${1:-}" == "--stop" ]]; then
  stop
  exit 0
fi

answers() { [[ -f "$conf" ]] && timeout 5 sinfo -h -o '%T' 2>/dev/null | grep -Eq '^(idle|mixed|allocated)'; }

if answers; then
  echo "SLURM_CONF=$conf"
  exit 0
fi

for tool in slurmctld slurmd munged sbatch; do
  command -v "$tool" >/dev/null || [[ -x "/usr/sbin/$tool" ]] || { echo "start-slurm: $tool is missing (apt-get install slurm-wlm munge)" >&2; exit 1; }
done
[[ "$(id -u)" == 0 ]] || { echo "start-slurm: run as root (the test cluster's daemons run as root)" >&2; exit 1; }

# munge: one key for the machine; started once, shared by every cluster on it.
if ! pgrep -x munged >/dev/null; then
  if [[ ! -s /etc/munge/munge.key ]]; then
    mkdir -p /etc/munge
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
  fi
  chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
  mkdir -p /run/munge /var/lib/munge /var/log/munge && chown munge:munge /run/munge /var/lib/munge /var/log/munge
  su -s /bin/sh munge -c /usr/sbin/munged
fi

stop
host="$(hostname -s)"
cpus="$(nproc)"
memory="$(( $(free -m | awk '/^Mem:/ {print $2}') * 9 / 10 ))"
mkdir -p "$root/state" "$root/spool" "$root/log" "$root/run"
# MinJobAge is short so tests can see a finished job leave the scheduler's memory (the gateway must
# then read the outcome from the status file its batch script writes).
cat > "$conf" <<CONF
ClusterName=snet-test
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=1
MinJobAge=5
DefMemPerCPU=256
KillWait=5
SchedulerType=sched/backfill
StateSaveLocation=$root/state
SlurmdSpoolDir=$root/spool
SlurmctldPidFile=$root/run/slurmctld.pid
SlurmdPidFile=$root/run/slurmd.pid
SlurmctldLogFile=$root/log/slurmctld.log
SlurmdLogFile=$root/log/slurmd.log
SlurmctldPort=6817
SlurmdPort=6818
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
/usr/sbin/slurmctld -f "$conf"
/usr/sbin/slurmd -f "$conf"
for _ in $(seq 1 100); do
  if answers; then
    echo "SLURM_CONF=$conf"
    exit 0
  fi
  sleep 0.2
done
echo "start-slurm: the node did not become idle within 20 s; see $root/log" >&2
sinfo >&2 || true
exit 1
