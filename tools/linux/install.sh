#!/bin/sh
# Installs CSARP Referrals for the current user only (no root, no sudo): the app into
# ~/.local/lib/csarp-referrals, a command in ~/.local/bin, and a menu entry with its icon.
# Running it again replaces an earlier version. Your referrals are not in the app's folder
# (they stay in ~/.local/share/csarp-referrals) and are never touched.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
app=$HOME/.local/lib/csarp-referrals
bin=$HOME/.local/bin

"$here/referral-app/referral-app" --version >/dev/null

mkdir -p "$HOME/.local/lib" "$bin" "$data/applications" "$data/icons/hicolor/256x256/apps"
rm -rf "$app.new"
cp -R "$here/referral-app" "$app.new"
rm -rf "$app"
mv "$app.new" "$app"
ln -sf "$app/referral-app" "$bin/referral-app"
cp "$here/csarp-referrals.png" "$data/icons/hicolor/256x256/apps/csarp-referrals.png"
sed "s|^Exec=.*|Exec=\"$app/referral-app\"|" "$here/csarp-referrals.desktop" \
    > "$data/applications/csarp-referrals.desktop"
command -v update-desktop-database >/dev/null 2>&1 \
    && update-desktop-database "$data/applications" >/dev/null 2>&1 || true
echo "CSARP Referrals is installed. Start it from your applications menu, or run: $bin/referral-app"
