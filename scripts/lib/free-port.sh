# Sourced by scripts/with-databases and scripts/with-cluster (which define log()).
# free_port VAR sets VAR to a port nobody listens on, below Linux's ephemeral
# range (32768-60999), where outgoing connections could take it before the
# server binds it. Not $(free_port): the subshell would forget the taken ports.
declare -A taken=()
free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 12000))
    [[ -n ${taken[$p]:-} ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      taken[$p]=1
      printf -v "$1" %s "$p"
      return 0
    fi
  done
  log "no free port found"
  return 1
}
