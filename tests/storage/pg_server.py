"""A throwaway PostgreSQL server for the team-mode tests: TLS from a CA made here, SCRAM only.

``initdb`` and ``pg_ctl`` come from the PATH or Debian's ``/usr/lib/postgresql/*/bin``. The
server listens on 127.0.0.1 on a free port and accepts TCP connections only over TLS with
SCRAM-SHA-256 (``hostssl`` lines alone in ``pg_hba.conf``); its own administrator may also come
in over the Unix socket in its private folder, which is how the fixture sets it up. As root
(``initdb`` refuses to run as root) the server runs as the ``postgres`` user, or ``nobody``.
"""

from __future__ import annotations

import contextlib
import datetime
import ipaddress
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

ADMIN = "csarp_test_admin"
ADMIN_PASSWORD = "admin-pass-for-the-throwaway-server"


@dataclass(frozen=True)
class PgServer:
    host: str
    port: int
    folder: Path
    ca_file: Path
    socket_dir: Path

    def admin_dsn(self, dbname: str = "postgres") -> str:
        """The administrator over the private Unix socket (the fixture's own set-up)."""
        return f"host={self.socket_dir} port={self.port} dbname={dbname} user={ADMIN}"


def find_binaries() -> Path | None:
    """The folder of ``initdb``, ``pg_ctl`` and ``postgres``, or None if PostgreSQL is absent."""
    on_path = shutil.which("pg_ctl")
    candidates = [Path(on_path).resolve().parent] if on_path else []
    debian = Path("/usr/lib/postgresql")
    installed = debian.glob("*/bin") if debian.is_dir() else []
    # The newest version first (by number: 9 is older than 15).
    candidates += sorted(
        installed, key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0, reverse=True
    )
    for folder in candidates:
        if all((folder / name).exists() for name in ("initdb", "pg_ctl", "postgres")):
            return folder
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _server_user() -> str | None:
    """Who runs the server: None for the current user, else an unprivileged account."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise RuntimeError("running as root, and there is no unprivileged user to run PostgreSQL")


def write_certificates(folder: Path, host: str) -> tuple[Path, Path, Path]:
    """A CA, and a server certificate for ``host`` signed by it: (ca, cert, key) files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test team server CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    names = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address(host))]
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    ca_file, cert_file, key_file = folder / "ca.crt", folder / "server.crt", folder / "server.key"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_file.chmod(0o600)
    return ca_file, cert_file, key_file


HBA = f"""\
# The fixture's administrator over the private socket; everyone else over TLS with SCRAM.
local all {ADMIN} trust
hostssl all all 127.0.0.1/32 scram-sha-256
"""


@contextlib.contextmanager
def running_server(binaries: Path) -> Iterator[PgServer]:
    """Start a server in a new temporary folder; stop it and remove the folder at the end."""
    user = _server_user()
    # Not under pytest's tmp_path: its folders are private to root, and the server may not be.
    folder = Path(tempfile.mkdtemp(prefix="csarp-pg-"))
    data, socket_dir = folder / "data", folder / "run"
    socket_dir.mkdir()
    host, port = "127.0.0.1", _free_port()
    ca_file, cert_file, key_file = write_certificates(folder, host)
    password_file = folder / "admin-password"
    password_file.write_text(ADMIN_PASSWORD + "\n")
    prefix: list[str] = []
    if user is not None:
        account = pwd.getpwnam(user)
        for path in (folder, socket_dir, cert_file, key_file, password_file):
            os.chown(path, account.pw_uid, account.pw_gid)
        prefix = ["runuser", "-u", user, "--"]
    subprocess.run(
        [
            *prefix,
            str(binaries / "initdb"),
            "--auth=scram-sha-256",
            f"--username={ADMIN}",
            f"--pwfile={password_file}",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
            "-D",
            str(data),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=True,
    )
    (data / "pg_hba.conf").write_text(HBA)
    with (data / "postgresql.conf").open("a") as conf:
        conf.write(
            f"listen_addresses = '{host}'\nport = {port}\n"
            f"unix_socket_directories = '{socket_dir}'\n"
            f"ssl = on\nssl_cert_file = '{cert_file}'\nssl_key_file = '{key_file}'\n"
            "password_encryption = 'scram-sha-256'\nfsync = off\n"
            "synchronous_commit = off\nfull_page_writes = off\nmax_connections = 60\n"
            "shared_buffers = 32MB\n"
        )
    log_file = folder / "server.log"
    if user is not None:
        account = pwd.getpwnam(user)
        for path in (data / "pg_hba.conf", data / "postgresql.conf"):
            os.chown(path, account.pw_uid, account.pw_gid)
        log_file.touch()
        os.chown(log_file, account.pw_uid, account.pw_gid)
    pg_ctl = [*prefix, str(binaries / "pg_ctl"), "-D", str(data)]
    try:
        subprocess.run(
            [*pg_ctl, "-w", "-t", "60", "-l", str(log_file), "start"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=True,
        )
        yield PgServer(host, port, folder, ca_file, socket_dir)
    finally:
        subprocess.run(
            [*pg_ctl, "-w", "-m", "immediate", "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        shutil.rmtree(folder, ignore_errors=True)


def make_team_database(
    server: PgServer,
    dbname: str,
    advocates: dict[str, str],
    managers: Collection[str] = (),
) -> None:
    """A new database on ``server`` set up as ``server init`` would, with these advocates
    (name: password), those in ``managers`` as managers."""
    import psycopg
    from sqlalchemy import URL, create_engine

    from referral_app.storage import migrations
    from referral_app.storage.server_setup import add_advocate

    with psycopg.connect(server.admin_dsn(), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {dbname}")
    url = URL.create(
        "postgresql+psycopg",
        username=ADMIN,
        database=dbname,
        query={"host": str(server.socket_dir), "port": str(server.port)},
    )
    engine = create_engine(url)
    try:
        migrations.upgrade(engine)
        for name, password in advocates.items():
            add_advocate(engine, name, password, manager=name in managers)
    finally:
        engine.dispose()
