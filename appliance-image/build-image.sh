#!/usr/bin/env bash
# Builds an MCP Warden appliance image: Debian bookworm (minbase) + the mcp-warden .deb + kernel + systemd,
# with mcp-warden.service enabled. Not part of `mvn verify` (needs minutes and a Debian mirror).
#
#   sudo appliance-image/build-image.sh [DEB] [OUTDIR]
#
# DEB     default: appliance-image/target/mcp-warden_*_amd64.deb (build it with mvn -B install first)
# OUTDIR  default: appliance-image/target/image-build
# Environment: MIRROR (default http://deb.debian.org/debian), SUITE (bookworm), IMAGE_SIZE (2G),
#              WARDEN_INTERFACE (default any), HOSTNAME_IMAGE (mcp-warden).
# Needs root and: debootstrap, e2fsprogs (mkfs.ext4 -d), fdisk (sfdisk); qemu-img (qemu-utils) for qcow2.
#
# Writes to OUTDIR:
#   mcp-warden-rootfs.tar.gz   the root file system
#   mcp-warden.img             raw disk: MBR, one ext4 partition (vda1) holding the root file system
#   mcp-warden.qcow2           the same disk as qcow2 (if qemu-img exists)
#   vmlinuz, initrd.img        the image's kernel and initramfs for direct boot (no boot loader on the disk)
# Boot (serial console; log in as root without a password, then set one):
#   qemu-system-x86_64 -m 2048 -smp 2 -nographic -enable-kvm \
#     -kernel OUTDIR/vmlinuz -initrd OUTDIR/initrd.img -append "root=/dev/vda1 rw console=ttyS0" \
#     -drive file=OUTDIR/mcp-warden.qcow2,if=virtio,format=qcow2 -nic user,model=virtio-net-pci
set -euo pipefail

here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
deb=${1:-$(ls "$here"/target/mcp-warden_*_amd64.deb 2>/dev/null | head -1 || true)}
out=${2:-$here/target/image-build}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
SUITE=${SUITE:-bookworm}
IMAGE_SIZE=${IMAGE_SIZE:-2G}
WARDEN_INTERFACE=${WARDEN_INTERFACE:-any}
HOSTNAME_IMAGE=${HOSTNAME_IMAGE:-mcp-warden}

die() { echo "build-image: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot, file ownership)"
[ -n "$deb" ] && [ -f "$deb" ] || die "no package: build it first (mvn -B install) or pass its path"
for t in debootstrap mkfs.ext4 sfdisk; do command -v "$t" >/dev/null || die "$t is missing (apt-get install debootstrap e2fsprogs fdisk)"; done

rootfs=$out/rootfs
mounted=()
cleanup() {
    local m
    for ((i=${#mounted[@]}-1; i>=0; i--)); do umount -l "${mounted[i]}" 2>/dev/null || true; done
}
trap cleanup EXIT

rm -rf "$out"
mkdir -p "$rootfs"
t0=$SECONDS
echo "== debootstrap $SUITE (minbase) from $MIRROR"
debootstrap --variant=minbase \
    --include=systemd-sysv,udev,linux-image-amd64,initramfs-tools,libpcap0.8,passwd,procps,iproute2,kmod \
    "$SUITE" "$rootfs" "$MIRROR"

echo "== system settings"
echo "$HOSTNAME_IMAGE" > "$rootfs/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n' "$HOSTNAME_IMAGE" > "$rootfs/etc/hosts"
printf '/dev/vda1\t/\text4\terrors=remount-ro\t0\t1\n' > "$rootfs/etc/fstab"
mkdir -p "$rootfs/etc/systemd/network"
cat > "$rootfs/etc/systemd/network/20-wired.network" <<'NET'
[Match]
Name=en* eth*

[Network]
DHCP=yes
NET
chroot "$rootfs" passwd -d root >/dev/null

echo "== install $(basename "$deb")"
for m in proc sys dev; do
    mount --bind "/$m" "$rootfs/$m"; mounted+=("$rootfs/$m")
done
cp "$deb" "$rootfs/tmp/mcp-warden.deb"
chroot "$rootfs" dpkg -i /tmp/mcp-warden.deb
rm -f "$rootfs/tmp/mcp-warden.deb"
sed -i "s/^WARDEN_INTERFACE=.*/WARDEN_INTERFACE=$WARDEN_INTERFACE/" "$rootfs/etc/mcp-warden/mcp-warden.env"
chroot "$rootfs" warden version
cleanup; mounted=()

systemctl --root="$rootfs" enable mcp-warden.service systemd-networkd.service
chroot "$rootfs" apt-get clean
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin

echo "== pack"
cp -L "$rootfs/vmlinuz" "$out/vmlinuz"
cp -L "$rootfs/initrd.img" "$out/initrd.img"
tar -C "$rootfs" --numeric-owner --xattrs -czf "$out/mcp-warden-rootfs.tar.gz" .

# raw disk: 1 MiB gap + one Linux partition filled from the directory (no loop device needed)
img=$out/mcp-warden.img
truncate -s "$IMAGE_SIZE" "$img"
echo 'label: dos
start=2048, type=83, bootable' | sfdisk --quiet "$img"
part=$out/part.ext4
bytes=$(( $(stat -c %s "$img") - 2048 * 512 ))
truncate -s "$bytes" "$part"
mkfs.ext4 -q -F -L mcp-warden-root -d "$rootfs" "$part"
dd if="$part" of="$img" bs=1M seek=1 conv=notrunc,sparse status=none
rm -f "$part"
if command -v qemu-img >/dev/null; then
    qemu-img convert -f raw -O qcow2 "$img" "$out/mcp-warden.qcow2"
fi
echo "== done in $((SECONDS - t0)) s"
ls -lh "$out"
