# Sourced by the setup scripts: installs the Debian packages that are missing.
#   apt_need LABEL PKG...   apt-get install of the PKGs dpkg does not have (quick when none);
#                           a PKG written "cmd:NAME=PKG" is needed when command NAME is absent
# Daemons in the list (rsyslog, collectd, a KDC, stunnel) are started by the tests
# themselves: a policy-rc.d answering 101 keeps their postinst from starting the system
# services (Docker images ship one; elsewhere it is in place for the install only).
apt_need() {
  local label=$1 pkg need=() sudo="" rcd=/usr/sbin/policy-rc.d own_rcd="" rc=0; shift
  for pkg in "$@"; do
    case $pkg in
      cmd:*) local spec=${pkg#cmd:}; command -v "${spec%%=*}" >/dev/null 2>&1 || need+=("${spec#*=}") ;;
      *) dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg") ;;
    esac
  done
  [ ${#need[@]} -gt 0 ] || return 0
  echo "$label: apt-get install ${need[*]}"
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  if [ ! -e $rcd ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee $rcd >/dev/null; $sudo chmod +x $rcd; own_rcd=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null || rc=$?
  if [ -n "$own_rcd" ]; then $sudo rm -f $rcd; fi
  return $rc
}
