#!/bin/sh
# Removes what install.sh put in place. Your referrals, backups and log are left where they are
# (~/.local/share/csarp-referrals, ~/.local/state/csarp-referrals): delete them yourself only
# if you are sure you no longer need them.
set -eu
data=${XDG_DATA_HOME:-$HOME/.local/share}
rm -rf "$HOME/.local/lib/csarp-referrals"
rm -f "$HOME/.local/bin/referral-app" "$data/applications/csarp-referrals.desktop" \
    "$data/icons/hicolor/256x256/apps/csarp-referrals.png"
echo "CSARP Referrals is removed. Your referrals and backups were left in place."
