#!/usr/bin/env python3
"""Let TorchSharp 0.107's libLibTorchSharp.so load with GCC 12's libstdc++ (Debian 12).

The library references one GCC 13 symbol, std::ios_base_library_init() (version GLIBCXX_3.4.32). All it does
is initialise the standard streams, which libtorch's own static initialisers already do. When the system
libstdc++ lacks GLIBCXX_3.4.32 this script points that reference at std::get_new_handler() (a no-argument
function every libstdc++ since GLIBCXX_3.4.20 has; same name length, so the string table keeps its layout)
and renames the version requirement to GLIBCXX_3.4.20 with its ELF hash. Safe to run again (no-op), and
does nothing on systems whose libstdc++ is new enough.

usage: torchsharp_glibcxx_fix.py LIB [LIB ...]
"""
import glob
import os
import struct
import sys

WANTED_VERSION = b"GLIBCXX_3.4.32"
OLD_SYMBOL = b"_ZSt21ios_base_library_initv\0"
NEW_SYMBOL = b"_ZSt15get_new_handlerv\0"
NEW_VERSION = b"GLIBCXX_3.4.20"
SHT_DYNSYM, SHT_GNU_VERNEED = 11, 0x6FFFFFFE


def system_libstdcxx():
    candidates = []
    for pattern in ("/usr/lib/x86_64-linux-gnu/libstdc++.so.6*", "/usr/lib64/libstdc++.so.6*",
                    "/lib/x86_64-linux-gnu/libstdc++.so.6*", "/usr/lib/libstdc++.so.6*"):
        candidates.extend(sorted(glob.glob(pattern)))
    return [c for c in candidates if os.path.isfile(c)]


def needs_patch():
    libs = system_libstdcxx()
    if not libs:
        return False  # cannot tell: leave the library as shipped
    for lib in libs:
        with open(lib, "rb") as f:
            if WANTED_VERSION in f.read():
                return False
    return True


def elf_hash(name):
    h = 0
    for c in name:
        h = ((h << 4) + c) & 0xFFFFFFFF
        g = h & 0xF0000000
        if g:
            h ^= g >> 24
        h &= ~g & 0xFFFFFFFF
    return h


def patch(path):
    data = bytearray(open(path, "rb").read())
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        print(f"{path}: not a little-endian ELF64 file, left alone")
        return
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    dynsym = next(s for s in sections if s[1] == SHT_DYNSYM)
    strtab = sections[dynsym[6]]
    str_off, str_size = strtab[4], strtab[5]
    at = data.find(OLD_SYMBOL, str_off, str_off + str_size)
    if at < 0 or data[at - 1] != 0:
        print(f"{path}: already loads with this libstdc++")
        return
    data[at:at + len(NEW_SYMBOL)] = NEW_SYMBOL
    verneed = next(s for s in sections if s[1] == SHT_GNU_VERNEED)
    entry = verneed[4]
    while True:
        _, count, _, aux, next_entry = struct.unpack_from("<HHIII", data, entry)
        a = entry + aux
        for _ in range(count):
            _, _, _, name, next_aux = struct.unpack_from("<IHHII", data, a)
            p = str_off + name
            if data[p:p + len(WANTED_VERSION) + 1] == WANTED_VERSION + b"\0":
                data[p:p + len(NEW_VERSION)] = NEW_VERSION
                struct.pack_into("<I", data, a, elf_hash(NEW_VERSION))
            if not next_aux:
                break
            a += next_aux
        if not next_entry:
            break
        entry += next_entry
    # Write a new file and rename it over the old one, so a hard link into the NuGet cache is never modified.
    temp = path + ".patching"
    with open(temp, "wb") as f:
        f.write(data)
    os.chmod(temp, os.stat(path).st_mode)
    os.replace(temp, path)
    print(f"{path}: patched for a libstdc++ without {WANTED_VERSION.decode()}")


def main(paths):
    if not needs_patch():
        print(f"system libstdc++ has {WANTED_VERSION.decode()} (or none was found): nothing to patch")
        return 0
    for path in paths:
        if os.path.isfile(path):
            patch(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
