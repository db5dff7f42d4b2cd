"""Accounts: reviewers and admins with scrypt password hashes, server-side sessions, CSRF tokens,
and API tokens. Plain functions over a SQLAlchemy session, shared by the CLI and the web app."""
from __future__ import annotations

import time

import threading

import collections

import base64
import datetime as dt
import hashlib
import hmac
import secrets

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from pipeline.errors import ConfigError
from store.models import ApiToken, User, WebSession
from settings import thresholds

ROLES = ("reviewer", "admin")
# scrypt: memory-hard, in the standard library; parameters are stored with every hash.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return "scrypt${}${}${}${}${}".format(SCRYPT_N, SCRYPT_R, SCRYPT_P, base64.b64encode(salt).decode(),
                                         base64.b64encode(digest).decode())


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=32)
    return hmac.compare_digest(candidate, base64.b64decode(digest))


def add_user(session: Session, name: str, role: str, password: str) -> User:
    if role not in ROLES:
        raise ConfigError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < thresholds.MIN_PASSWORD:
        raise ConfigError(f"password must have at least {thresholds.MIN_PASSWORD} characters")
    if not name.strip() or len(name) > 100:
        raise ConfigError("user name must be 1 to 100 characters")
    if session.scalars(select(User).where(User.name == name)).first():
        raise ConfigError(f"user {name!r} exists already")
    user = User(name=name, role=role, password_hash=hash_password(password), active=True)
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, name: str, password: str) -> User | None:
    user = session.scalars(select(User).where(User.name == name, User.active.is_(True))).first()
    if user is None:
        hash_password(password)          # same work either way: no user-name oracle by timing
        return None
    return user if verify_password(password, user.password_hash) else None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, user: User) -> tuple[str, WebSession]:
    token = secrets.token_urlsafe(32)
    row = WebSession(token_hash=_digest(token), user_id=user.id, csrf_token=secrets.token_urlsafe(32),
                     expires_at=dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=thresholds.SESSION_DAYS))
    session.add(row)
    session.flush()
    return token, row


def session_for(session: Session, token: str | None) -> WebSession | None:
    if not token:
        return None
    row = session.scalars(select(WebSession).where(WebSession.token_hash == _digest(token))).first()
    if row is None:
        return None
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=dt.timezone.utc)
    if expires < dt.datetime.now(dt.timezone.utc) or not row.user.active:
        return None
    return row


def close_session(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(WebSession).where(WebSession.token_hash == _digest(token)))


def add_api_token(session: Session, name: str) -> str:
    """Create a token for a machine client; the token is shown once, only its hash is kept."""
    if not name.strip() or len(name) > 100:
        raise ConfigError("token name must be 1 to 100 characters")
    if session.scalars(select(ApiToken).where(ApiToken.name == name)).first():
        raise ConfigError(f"token {name!r} exists already")
    token = "vnf_" + secrets.token_urlsafe(32)
    session.add(ApiToken(name=name, token_hash=_digest(token)))
    session.flush()
    return token


def api_token_valid(session: Session, token: str | None) -> bool:
    if not token:
        return False
    row = session.scalars(select(ApiToken).where(ApiToken.token_hash == _digest(token))).first()
    return bool(row and not row.revoked)


def _user(session: Session, name: str) -> User:
    user = session.scalars(select(User).where(User.name == name)).first()
    if user is None:
        raise ConfigError(f"no user {name!r}")
    return user


def end_sessions(session: Session, user: User) -> int:
    """Sign the user out everywhere; returns how many sessions ended."""
    return session.execute(delete(WebSession).where(WebSession.user_id == user.id)).rowcount or 0


def set_active(session: Session, name: str, active: bool) -> User:
    """Disable (every session ends at once) or enable a user."""
    user = _user(session, name)
    user.active = active
    if not active:
        end_sessions(session, user)
    session.flush()
    return user


def set_password(session: Session, name: str, password: str) -> User:
    """A new password; every session of the user ends, so a stolen cookie stops working too."""
    if len(password) < thresholds.MIN_PASSWORD:
        raise ConfigError(f"password must have at least {thresholds.MIN_PASSWORD} characters")
    user = _user(session, name)
    user.password_hash = hash_password(password)
    end_sessions(session, user)
    session.flush()
    return user


def list_users(session: Session) -> list[dict]:
    now = dt.datetime.now(dt.timezone.utc)
    counts: dict[int, int] = {}
    for row in session.scalars(select(WebSession)):
        expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=dt.timezone.utc)
        if expires > now:
            counts[row.user_id] = counts.get(row.user_id, 0) + 1
    return [{"name": u.name, "role": u.role, "active": u.active, "created_at": u.created_at,
             "sessions": counts.get(u.id, 0)} for u in session.scalars(select(User).order_by(User.name))]


def list_tokens(session: Session) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).order_by(ApiToken.name)))


def revoke_token(session: Session, name: str) -> ApiToken:
    token = session.scalars(select(ApiToken).where(ApiToken.name == name)).first()
    if token is None:
        raise ConfigError(f"no token {name!r}")
    token.revoked = True
    session.flush()
    return token


class SignInThrottle:
    """Failed sign-ins counted over a sliding window per account *and address* pair, and — with a much
    higher ceiling — per address alone (OWASP's advice): behind a reverse proxy every reviewer shares
    one address, so one person's mistyped password must not lock the others out, while a guesser
    trying many accounts from one address still meets the address ceiling. Past a limit the next
    attempt is refused before any password is hashed (scrypt is costly: a refused guess must not be a
    CPU target). In memory, per process: one app process serves the reviewers."""

    def __init__(self, pair_limit: int, address_limit: int, window_s: float, clock=time.monotonic):
        self.pair_limit, self.address_limit, self.window_s, self.clock = pair_limit, address_limit, window_s, clock
        self._failures: dict[tuple, collections.deque] = {}
        self._lock = threading.Lock()

    def _keys(self, name: str, address: str) -> list[tuple[tuple, int]]:
        """Each counter an attempt touches, with its limit."""
        return [(("pair", name.strip().lower(), address), self.pair_limit), (("address", address), self.address_limit)]

    def _recent(self, key: tuple) -> collections.deque:
        q = self._failures.setdefault(key, collections.deque())
        while q and q[0] < self.clock() - self.window_s:
            q.popleft()
        return q

    def blocked(self, name: str, address: str) -> bool:
        with self._lock:
            return any(len(self._recent(key)) >= limit for key, limit in self._keys(name, address))

    def failed(self, name: str, address: str) -> None:
        with self._lock:
            for key, _ in self._keys(name, address):
                self._recent(key).append(self.clock())

    def succeeded(self, name: str, address: str) -> None:
        """A right password clears its own pair's count, not the address's: a guesser who owns one
        account cannot reset the address ceiling by signing in to it."""
        with self._lock:
            self._failures.pop(self._keys(name, address)[0][0], None)
