"""The reviewer pages: sign-in, the article list, an article with its facts and review forms,
charts and the admin pages. Server-rendered with Jinja2 and working without JavaScript; mounted
by ``create_app`` in ``app.py`` like the API router of ``api.py``."""
from __future__ import annotations

import secrets
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import select
from sqlalchemy.orm import Session

import gazetteer
from pipeline.errors import ConfigError
from pipeline.store.models import User
from settings import thresholds
from web import accounts, reviews
from web.deps import get_db
from web.numbers import display_number, plain_number

HERE = Path(__file__).parent
SESSION_COOKIE = "vnfacts_session"
LOGIN_COOKIE = "vnfacts_login"
TEMPLATES = Jinja2Templates(directory=str(HERE / "templates"))   # autoescape is on for .html
TEMPLATES.env.filters["num"] = display_number
TEMPLATES.env.filters["plain"] = plain_number

router = APIRouter(include_in_schema=False)


class NotSignedIn(Exception):
    """No valid session cookie: the app answers with a redirect to the sign-in page."""


def current(request: Request, session: Session = Depends(get_db)):
    web_session = accounts.session_for(session, request.cookies.get(SESSION_COOKIE))
    if web_session is None:
        raise NotSignedIn()
    return web_session

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
    user = accounts.authenticate(session, name, password)
    if user is None:
        return RedirectResponse(f"/login?error=1&next={quote(_safe_next(next))}", status_code=303)
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
             concept: str | None = None, page_no: int = 1, web_session=Depends(current),
             session: Session = Depends(get_db)):
    rows, total = reviews.list_articles(session, source or None, province or None, review or None, concept or None,
                                        max(1, page_no))
    return page(request, "articles.html", rows=rows, total=total, page_no=max(1, page_no), user=web_session.user,
                csrf=web_session.csrf_token, concepts=sorted(gazetteer.concepts()),
                filters={"source": source or "", "province": province or "", "review": review or "",
                         "concept": concept or ""})

@router.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
def article(request: Request, article_id: int = PathParam(..., ge=1, le=2**62), error: str | None = None,
            web_session=Depends(current),
            session: Session = Depends(get_db)):
    view = reviews.article_view(session, article_id)
    if view is None:
        raise HTTPException(404, "no such article")
    ids = [a for (a,) in session.execute(select(reviews.Article.id).order_by(reviews.Article.id))]
    later = [i for i in ids if i > article_id]
    return page(request, "article.html", view=view, user=web_session.user, csrf=web_session.csrf_token,
                concepts=sorted(gazetteer.concepts()), kinds=reviews.KINDS, qualifiers=reviews.QUALIFIERS,
                roles=reviews.ROLES, directions=reviews.DIRECTIONS, error=error,
                next_article=later[0] if later else None)

@router.post("/facts/{fact_id}/review", include_in_schema=False)
async def review(request: Request, fact_id: int = PathParam(..., ge=1, le=2**62), web_session=Depends(current),
                 session: Session = Depends(get_db)):
    form = dict(await request.form())
    check_csrf(web_session, form.get("csrf"))
    action = form.get("action", "")
    edits = {k: form[k] for k in reviews.EDITABLE_FIELDS if k in form} if action == "edit" else None
    if edits is not None:
        edits["_has_negated"] = True             # an unchecked box sends nothing: it means "not negated"
    try:
        expected = int(form.get("expected", "0"))
    except ValueError:
        expected = 0
    fact = session.get(reviews.Fact, fact_id)
    if fact is None:
        raise HTTPException(404, "no such fact")
    try:
        reviews.record_review(session, fact_id, action, web_session.user.name, edits, form.get("note"), expected)
        session.commit()
    except reviews.ReviewConflict as exc:
        session.rollback()
        view = reviews.article_view(session, fact.article_id)
        return page(request, "article.html", status=409, view=view, user=web_session.user,
                    csrf=web_session.csrf_token, concepts=sorted(gazetteer.concepts()), kinds=reviews.KINDS,
                    qualifiers=reviews.QUALIFIERS, roles=reviews.ROLES, directions=reviews.DIRECTIONS,
                    error=f"Conflict: {exc}. The page now shows that decision; yours was not saved.",
                    next_article=None)
    except reviews.ReviewError as exc:
        session.rollback()
        return RedirectResponse(f"/articles/{fact.article_id}?error={quote(str(exc))}#f{fact_id}", status_code=303)
    return RedirectResponse(f"/articles/{fact.article_id}#f{fact_id}", status_code=303)

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
    from pipeline.store.models import Article, Source
    from pipeline.store.read import article_counts_by_source

    failures = session.execute(select(Source.key, Article.article_key, Article.status, Article.error, Article.url)
                               .join(Source, Source.id == Article.source_id)
                               .where(Article.status != "ok").order_by(Article.updated_at.desc()).limit(50)).all()
    return page(request, "sources.html", user=web_session.user, csrf=web_session.csrf_token,
                sources=session.scalars(select(Source).order_by(Source.key)).all(),
                counts=article_counts_by_source(session), failures=failures)

@router.get("/admin/users", response_class=HTMLResponse, include_in_schema=False)
def users(request: Request, web_session=Depends(require_admin), session: Session = Depends(get_db)):
    return page(request, "users.html", users=session.scalars(select(User).order_by(User.name)).all(),
                user=web_session.user, csrf=web_session.csrf_token, error=None)

@router.post("/admin/users", include_in_schema=False)
def add_user(request: Request, name: str = Form(""), role: str = Form("reviewer"), password: str = Form(""),
             csrf: str = Form(""), web_session=Depends(require_admin), session: Session = Depends(get_db)):
    check_csrf(web_session, csrf)
    try:
        accounts.add_user(session, name.strip(), role, password)
        session.commit()
    except ConfigError as exc:
        session.rollback()
        return page(request, "users.html", status=400, users=session.scalars(select(User).order_by(User.name)).all(),
                    user=web_session.user, csrf=web_session.csrf_token, error=str(exc))
    return RedirectResponse("/admin/users", status_code=303)


def _safe_next(target: str) -> str:
    """Only local paths: a login form must not redirect to another site."""
    return target if target.startswith("/") and not target.startswith("//") else "/articles"
