"""The reviewer pages: sign-in, the article list, an article with its facts and review forms,
charts and the admin pages. Server-rendered with Jinja2 and working without JavaScript; mounted
by ``create_app`` in ``app.py`` like the API router of ``api.py``."""
from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

import gazetteer
from pipeline.errors import ConfigError
from store.models import User
from settings import thresholds
from store import accounts, read, reviews
from web import edits as forms
from web.highlight import highlight
from web.deps import get_db
from web.numbers import display_number, plain_number

HERE = Path(__file__).parent
SESSION_COOKIE = "vnfacts_session"
LOGIN_COOKIE = "vnfacts_login"
TEMPLATES = Jinja2Templates(directory=str(HERE / "templates"))   # autoescape is on for .html
TEMPLATES.env.filters["num"] = display_number
TEMPLATES.env.filters["plain"] = plain_number


def _utc(value):
    if value is None:
        return None
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value.astimezone(dt.timezone.utc)


# Times are stored in UTC (SQLite hands them back without a zone): shown with the zone named.
TEMPLATES.env.filters["when"] = lambda v: _utc(v).strftime("%Y-%m-%d %H:%M UTC") if v else ""
TEMPLATES.env.filters["iso"] = lambda v: _utc(v).isoformat() if v else ""

router = APIRouter(include_in_schema=False)


class NotSignedIn(Exception):
    """No valid session cookie: the app answers with a redirect to the sign-in page."""


def current(request: Request, session: Session = Depends(get_db)):
    web_session = accounts.session_for(session, request.cookies.get(SESSION_COOKIE))
    if web_session is None:
        raise NotSignedIn()
    return web_session

def signed_in(request: Request):
    """(user, csrf token) of the request's session, or (None, None): for pages outside the routes' dependencies."""
    from store import db

    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None, None
    with db.session(request.app.state.database_url) as session:
        web_session = accounts.session_for(session, token)
        if web_session is None:
            return None, None
        user = web_session.user
        session.expunge_all()
        return user, web_session.csrf_token


def check_csrf(web_session, token: str | None) -> None:
    if not token or not secrets.compare_digest(token, web_session.csrf_token):
        raise HTTPException(403, "missing or wrong CSRF token")

def page(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, name, context, status_code=status)

@router.get("/healthz", include_in_schema=False)
def healthz():
    return {"ok": True}

@router.get("/", include_in_schema=False)
def home():
    return RedirectResponse("/articles", status_code=303)

@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_form(request: Request, next: str = "/articles", error: str | None = None):
    token = secrets.token_urlsafe(24)
    response = page(request, "login.html", next=_safe_next(next), csrf=token, error=error, user=None)
    response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict", secure=request.app.state.secure_cookies)
    return response

@router.post("/login", include_in_schema=False)
def login(request: Request, name: str = Form(""), password: str = Form(""), csrf: str = Form(""),
          next: str = Form("/articles"), session: Session = Depends(get_db)):
    cookie = request.cookies.get(LOGIN_COOKIE)
    if not cookie or not secrets.compare_digest(cookie, csrf):
        raise HTTPException(403, "missing or wrong CSRF token")
    throttle = request.app.state.sign_in_throttle
    keys = (name, request.client.host if request.client else "?")
    if throttle.blocked(*keys):
        raise HTTPException(429, "too many failed sign-ins; wait a few minutes and try again")
    user = accounts.authenticate(session, name, password)
    if user is None:
        throttle.failed(*keys)
        return RedirectResponse(f"/login?error=1&next={quote(_safe_next(next))}", status_code=303)
    throttle.succeeded(*keys)
    token, _ = accounts.open_session(session, user)
    session.commit()
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", secure=request.app.state.secure_cookies,
                        max_age=thresholds.SESSION_DAYS * 86400)
    response.delete_cookie(LOGIN_COOKIE)
    return response

@router.post("/logout", include_in_schema=False)
def logout(request: Request, csrf: str = Form(""), web_session=Depends(current), session: Session = Depends(get_db)):
    check_csrf(web_session, csrf)
    accounts.close_session(session, request.cookies.get(SESSION_COOKIE))
    session.commit()
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response

@router.get("/articles", response_class=HTMLResponse, include_in_schema=False)
def articles(request: Request, source: str | None = None, province: str | None = None, review: str | None = None,
             concept: str | None = None, sort: str = "date", page_no: int = 1, after: str | None = None,
             web_session=Depends(current), session: Session = Depends(get_db)):
    filters = {"source": source or "", "province": province or "", "review": review or "", "concept": concept or "",
               "sort": sort}
    try:
        listing = reviews.list_articles(session, source or None, province or None, review or None, concept or None,
                                        max(1, min(page_no, 10**6)), sort=sort, after=after or None)
    except reviews.ReviewError as exc:
        raise HTTPException(400, str(exc)) from None
    base = {k: v for k, v in filters.items() if v}
    link = lambda **extra: "/articles?" + urlencode({**base, **extra})
    return page(request, "articles.html", listing=listing, user=web_session.user, csrf=web_session.csrf_token,
                concepts=sorted(gazetteer.concepts()), provinces=province_choices(),
                sources=read.source_keys(session), filters=filters,
                sorts=reviews.SORTS, link=link, pages=_page_numbers(listing.page, listing.pages))


def _page_numbers(current_page: int, pages: int) -> list[int | None]:
    """1 … 4 5 [6] 7 8 … 200: the first, the last and two either side of the current page."""
    shown = sorted({1, pages, *range(max(1, current_page - 2), min(pages, current_page + 2) + 1)})
    out: list[int | None] = []
    for n in shown:
        if out and n - (out[-1] or 0) > 1:
            out.append(None)
        out.append(n)
    return out


def _article_page(request: Request, session: Session, web_session, article_id: int, status: int = 200,
                  error: str | None = None, failed: dict | None = None, notice: str | None = None) -> HTMLResponse:
    view = reviews.article_view(session, article_id)
    if view is None:
        raise HTTPException(404, "no such article")
    return page(request, "article.html", status=status, view=view, paragraphs=highlight(view.text, view.facts, view.added),
                user=web_session.user, csrf=web_session.csrf_token,
                concepts=sorted(gazetteer.concepts()), kinds=forms.KINDS, qualifiers=forms.QUALIFIERS,
                roles=forms.ROLES, directions=forms.DIRECTIONS, error=error, failed=failed or {},
                notice=notice, next_article=reviews.next_article_id(session, article_id))


@router.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
def article(request: Request, article_id: int = PathParam(..., ge=1, le=2**62), web_session=Depends(current),
            session: Session = Depends(get_db)):
    return _article_page(request, session, web_session, article_id)


@router.post("/facts/{fact_id}/review", include_in_schema=False)
async def review(request: Request, fact_id: int = PathParam(..., ge=1, le=2**62), web_session=Depends(current),
                 session: Session = Depends(get_db)):
    form = dict(await request.form())
    check_csrf(web_session, form.get("csrf"))
    action = form.get("action", "")
    edits = {k: form[k] for k in reviews.EDITABLE_FIELDS if k in form} if action == "edit" else None
    if edits is not None:
        edits["_has_negated"] = True             # an unchecked box sends nothing: it means "not negated"
        edits["_current_kind"] = (reviews.reviewed_state(session, fact_id) or {}).get("kind")
    try:
        expected = int(form.get("expected", "0"))
    except ValueError:
        expected = 0
    article_id = reviews.article_of_fact(session, fact_id)
    if article_id is None:
        raise HTTPException(404, "no such fact")
    try:
        recorded = reviews.record_review(session, fact_id, action, web_session.user.name,
                                         forms.validate_edits(edits) if edits is not None else None,
                                         form.get("note"), expected)
        session.commit()
    except reviews.ReviewConflict as exc:
        session.rollback()
        return _article_page(request, session, web_session, article_id, 409,
                             f"Conflict: {exc}. The page now shows that decision; yours was not saved.")
    except reviews.ReviewError as exc:
        session.rollback()
        # The refused edit comes back with what was typed and every error beside its field; no redirect,
        # so nothing of it ends up in the URL or the history.
        return _article_page(request, session, web_session, article_id, 422, "The edit was not saved: "
                             "correct the fields marked below.",
                             {"target": f"f{fact_id}", "values": form, "errors": exc.errors or {"value": str(exc)}})
    if recorded is None:
        return _article_page(request, session, web_session, article_id, 200,
                             notice="Nothing changed: the edit was not stored.")
    return RedirectResponse(f"/articles/{article_id}#f{fact_id}", status_code=303)


@router.post("/articles/{article_id}/add", include_in_schema=False)
async def add_fact(request: Request, article_id: int = PathParam(..., ge=1, le=2**62), web_session=Depends(current),
                   session: Session = Depends(get_db)):
    form = dict(await request.form())
    check_csrf(web_session, form.get("csrf"))
    try:
        start, end = int(form.get("start", "")), int(form.get("end", ""))
    except ValueError:
        start = end = -1
    try:
        errors = {}
        try:
            values = forms.addition_values(form)
        except reviews.ReviewError as exc:
            values, errors = {}, dict(exc.errors)
        errors = {**reviews.span_errors(session, reviews.article_by_id(session, article_id), start, end), **errors}
        if errors:
            raise reviews.ReviewError("; ".join(errors.values()), errors)
        added = reviews.record_add(session, article_id, start, end, web_session.user.name, values, form.get("note"))
        session.commit()
    except reviews.ReviewError as exc:
        session.rollback()
        return _article_page(request, session, web_session, article_id, 422,
                             "The fact was not added: correct the fields marked below.",
                             {"target": "add", "values": form, "errors": exc.errors or {"span": str(exc)}})
    return RedirectResponse(f"/articles/{article_id}#a{added.id}", status_code=303)


@router.post("/articles/{article_id}/added/{review_id}/withdraw", include_in_schema=False)
async def withdraw_added(request: Request, article_id: int = PathParam(..., ge=1, le=2**62),
                         review_id: int = PathParam(..., ge=1, le=2**62), web_session=Depends(current),
                         session: Session = Depends(get_db)):
    form = dict(await request.form())
    check_csrf(web_session, form.get("csrf"))
    try:
        reviews.withdraw_add(session, review_id, web_session.user.name, article_id)
        session.commit()
    except reviews.ReviewError as exc:
        raise HTTPException(404, str(exc)) from None
    return RedirectResponse(f"/articles/{article_id}", status_code=303)


@router.post("/articles/{article_id}/mark", include_in_schema=False)
async def mark(request: Request, article_id: int = PathParam(..., ge=1, le=2**62), web_session=Depends(current),
               session: Session = Depends(get_db)):
    form = dict(await request.form())
    check_csrf(web_session, form.get("csrf"))
    try:
        reviews.mark_reviewed(session, article_id, web_session.user.name, form.get("reviewed") != "0")
        session.commit()
    except reviews.ReviewError as exc:
        session.rollback()
        return _article_page(request, session, web_session, article_id, 409, f"Not marked: {exc}.")
    return RedirectResponse(f"/articles/{article_id}", status_code=303)


@router.post("/articles/{article_id}/bulk", include_in_schema=False)
async def bulk(request: Request, article_id: int = PathParam(..., ge=1, le=2**62), web_session=Depends(current),
               session: Session = Depends(get_db)):
    """Accept the looked-at pending facts, or reject a selection: first a confirm page listing them,
    then (with ``confirm=1``) the decisions. Facts decided meanwhile by someone else are left alone."""
    form = await request.form()
    check_csrf(web_session, form.get("csrf"))
    action = form.get("action", "")
    if action not in ("accept", "reject"):
        raise HTTPException(400, "action must be accept or reject")
    view = reviews.article_view(session, article_id)
    if view is None:
        raise HTTPException(404, "no such article")
    wanted = {v for v in form.getlist("fact") if v.isdigit()}
    chosen = [i for i in view.facts if str(i.fact.id) in wanted and (action == "reject" or i.status == "pending")]
    if not chosen:
        return _article_page(request, session, web_session, article_id, 400,
                             "Nothing to do: no fact selected" + (" is pending" if action == "accept" else "") + ".")
    if form.get("confirm") != "1":
        return page(request, "confirm.html", user=web_session.user, csrf=web_session.csrf_token, view=view,
                    action=action, chosen=chosen)
    done = 0
    for item in chosen:
        try:
            reviews.record_review(session, item.fact.id, action, web_session.user.name,
                                  expected_latest=int(form.get(f"expected_{item.fact.id}", item.latest_id)))
            done += 1
        except reviews.ReviewConflict:
            continue
    session.commit()
    return RedirectResponse(f"/articles/{article_id}", status_code=303)


@router.get("/charts", response_class=HTMLResponse, include_in_schema=False)
def charts(request: Request, concept: str = "eid_accounts", by: str = "province", province: str | None = None,
           web_session=Depends(current)):
    if concept not in gazetteer.concepts() or by not in ("province", "period"):
        raise HTTPException(404, "no such chart")
    query = f"by={quote(by)}" + (f"&province={quote(province)}" if province else "")
    return page(request, "charts.html", user=web_session.user, csrf=web_session.csrf_token,
                concepts=sorted(gazetteer.concepts()), concept=concept, by=by, province=province or "",
                image=f"/charts/{quote(concept)}.svg?{query}")

@router.get("/charts/{concept}.svg", include_in_schema=False)
def chart_svg(request: Request, concept: str, by: str = "province", province: str | None = None, web_session=Depends(current)):
    from reports.charts import chart

    try:
        svg = chart(request.app.state.database_url, concept, "svg", by, province or None)
    except ConfigError as exc:
        raise HTTPException(404, str(exc)) from None
    return Response(svg, media_type="image/svg+xml")

def require_admin(web_session=Depends(current)):
    if web_session.user.role != "admin":
        raise HTTPException(403, "admins only")
    return web_session

@router.get("/admin/sources", response_class=HTMLResponse, include_in_schema=False)
def sources_page(request: Request, web_session=Depends(require_admin), session: Session = Depends(get_db)):
    return page(request, "sources.html", user=web_session.user, csrf=web_session.csrf_token,
                sources=read.sources(session), counts=read.article_counts_by_source(session),
                failures=read.latest_failures(session, 50))

def _users_page(request: Request, session: Session, web_session, status: int = 200, error: str | None = None,
                notice: str | None = None, new_token: str | None = None) -> HTMLResponse:
    return page(request, "users.html", status=status, users=accounts.list_users(session),
                tokens=accounts.list_tokens(session), user=web_session.user, csrf=web_session.csrf_token,
                error=error, notice=notice, new_token=new_token)


@router.get("/admin/users", response_class=HTMLResponse, include_in_schema=False)
def users(request: Request, web_session=Depends(require_admin), session: Session = Depends(get_db)):
    return _users_page(request, session, web_session)


@router.post("/admin/users", include_in_schema=False)
def add_user(request: Request, name: str = Form(""), role: str = Form("reviewer"), password: str = Form(""),
             csrf: str = Form(""), web_session=Depends(require_admin), session: Session = Depends(get_db)):
    check_csrf(web_session, csrf)
    try:
        accounts.add_user(session, name.strip(), role, password)
        session.commit()
    except ConfigError as exc:
        session.rollback()
        return _users_page(request, session, web_session, 400, str(exc))
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{action}", include_in_schema=False)
def change_user(request: Request, action: str, name: str = Form(""), password: str = Form(""), csrf: str = Form(""),
                web_session=Depends(require_admin), session: Session = Depends(get_db)):
    """disable | enable | set-password: disabling or a new password ends every session of the user."""
    check_csrf(web_session, csrf)
    if action not in ("disable", "enable", "set-password"):
        raise HTTPException(404, "no such action")
    if action == "disable" and name == web_session.user.name:
        return _users_page(request, session, web_session, 400, "you cannot disable yourself")
    try:
        if action == "set-password":
            accounts.set_password(session, name, password)
        else:
            accounts.set_active(session, name, action == "enable")
        session.commit()
    except ConfigError as exc:
        session.rollback()
        return _users_page(request, session, web_session, 400, str(exc))
    if action == "set-password" and name == web_session.user.name:
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/tokens/{action}", include_in_schema=False)
def change_token(request: Request, action: str, name: str = Form(""), csrf: str = Form(""),
                 web_session=Depends(require_admin), session: Session = Depends(get_db)):
    """add (the token is shown once) | revoke."""
    check_csrf(web_session, csrf)
    if action not in ("add", "revoke"):
        raise HTTPException(404, "no such action")
    try:
        if action == "add":
            token = accounts.add_api_token(session, name.strip())
            session.commit()
            return _users_page(request, session, web_session, notice=f"Token {name.strip()} created. Copy it now: "
                               "it is not shown again.", new_token=token)
        accounts.revoke_token(session, name)
        session.commit()
    except ConfigError as exc:
        session.rollback()
        return _users_page(request, session, web_session, 400, str(exc))
    return RedirectResponse("/admin/users", status_code=303)


def _safe_next(target: str) -> str:
    """Only local paths: a login form must not redirect to another site."""
    return target if target.startswith("/") and not target.startswith("//") else "/articles"


def province_choices() -> list[dict]:
    """The filter's options: each current unit, then the legacy provinces it took in, both names shown."""
    groups: dict[str, dict] = {}
    for p in sorted(gazetteer.provinces().values(), key=lambda p: (p.current_name, p.legacy_name)):
        g = groups.setdefault(p.current_code, {"code": p.current_code, "name": p.current_name, "legacy": []})
        g["legacy"].append({"code": p.legacy_code, "name": p.legacy_name})
    return list(groups.values())
