"""Script cannot reach a built page: the rendered HTML is checked against an allow-list."""

from pathlib import Path

import material
import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from dlqa.html_safety import ThemeMarkup, theme_inline_scripts, unsafe_document, unsafe_html, url_scheme

ROOT = Path(__file__).resolve().parent.parent

# Markdown a hostile contributor could write, each with the rule that must stop it. Every one of
# these passed the old source regexes, the strict build and the test suite.
HOSTILE_MARKDOWN = [
    ("<svg/onload=alert(1)>", "element <svg> is not allowed"),
    ("A paragraph.\n{: onmouseover=\"alert(1)\" }", "event-handler attribute 'onmouseover'"),
    ("Some `code` then <img src=x.png onerror=alert(1)>", "event-handler attribute 'onerror'"),
    ('<a title="`" href="#" onclick="alert(1)">x</a>', "event-handler attribute 'onclick'"),
    ("[click](javascript&colon;alert(1))", "javascript: URL"),
    ("[click](jav&#x61;script:alert(1))", "javascript: URL"),
    ('<a href="java\nscript:alert(1)">click</a>', "javascript: URL"),
    ('<a href="vbscript:msgbox(1)">click</a>', "vbscript: URL"),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">click</a>', "data: URL"),
    ('<object data="x.swf"></object>', "element <object> is not allowed"),
    ('<embed src="x.swf">', "element <embed> is not allowed"),
    ('<base href="https://evil.example/">', "element <base> is not allowed"),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', "element <meta> is not allowed"),
    ('<form action="https://evil.example/"><button>Go</button></form>', "element <form> is not allowed"),
    ("<style>body { display: none }</style>", "element <style> is not allowed"),
    ("<script>alert(1)</script>", "element <script> is not allowed"),
    ('<iframe src="https://evil.example/"></iframe>', "element <iframe> is not allowed"),
    ('<img src="https://evil.example/pixel.png" alt="">', "an image must come from the site itself"),
    ('<p style="background: url(https://evil.example/)">x</p>', "attribute 'style' is not allowed on <p>"),
]


@pytest.mark.parametrize("html, rule", [
    ('<svg/onload=alert(1)>', "element <svg>"),
    ('<p onmouseover="x">a</p>', "'onmouseover'"),
    ('<a href="javascript&colon;alert(1)">x</a>', "javascript: URL"),
    ('<a href="jav&#x61;script:alert(1)">x</a>', "javascript: URL"),
    ('<a href="java\nscript:alert(1)">x</a>', "javascript: URL"),
    ('<a href=" \x01JavaScript:alert(1)">x</a>', "javascript: URL"),
    ('<body onload=alert(1)>', "attributes on <body>"),
    ('<math><mi xlink:href="javascript:alert(1)">x</mi></math>', "element <math>"),
    ('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', "element <noscript>"),
    ('<table><tr><td style="background:url(https://x)">1</td></tr></table>', "inline style"),
    ('<input type="text">', "<input type='text'>"),
    ('<img src="//evil.example/x.png">', "an image must come from the site itself"),
])
def test_unsafe_html_is_found_after_parsing_and_entity_decoding(html, rule):
    assert any(rule in str(finding) for finding in unsafe_html(html)), unsafe_html(html)


@pytest.mark.parametrize("html", [
    '<p>Text with <code>&lt;script&gt;</code> shown as code.</p>',
    '<a href="https://arxiv.org/abs/1706.03762">paper</a> <a href="#kv-cache">¶</a> <a href="../rnns/">RNNs</a>',
    '<a href="mailto:someone@example.com">mail</a>',
    '<img src="../notebooks/x/cell1-1.png" alt="Figure" class="notebook-figure" loading="lazy">',
    '<img src="data:image/png;base64,iVBORw0KGgo=" alt="">',
    '<table><thead><tr><th style="text-align: right;">n</th></tr></thead></table>',
    '<div class="tabbed-set" data-tabs="1:2"><input checked="checked" id="t1" name="s" type="radio"><label for="t1">A</label></div>',
    '<ul class="task-list"><li><input type="checkbox" disabled checked> done</li></ul>',
    '<details class="question"><summary>Follow-ups</summary><p>…</p></details>',
])
def test_what_markdown_and_the_site_produce_is_allowed(html):
    assert unsafe_html(html) == []


def test_url_scheme_follows_the_browser():
    assert url_scheme("java\tscript:x") == "javascript"
    assert url_scheme("\x00 JAVASCRIPT:x") == "javascript"
    assert url_scheme("../page/#id") is None
    assert url_scheme("https://example.com") == "https"


def build_page(tmp_path: Path, markdown: str) -> None:
    """Build one page with the site's own configuration (Markdown extensions, theme), the allow-list hook only."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n\n" + markdown + "\n")
    config = load_config(
        config_file=str(ROOT / "mkdocs.yml"), docs_dir=str(tmp_path / "docs"), site_dir=str(tmp_path / "site"),
        hooks=[str(ROOT / "dlqa" / "hooks" / "html_allowlist.py")], plugins=[], nav=[{"Home": "index.md"}],
    )
    build(config)


@pytest.mark.parametrize("markdown, rule", HOSTILE_MARKDOWN)
def test_hostile_markdown_fails_the_build_naming_page_element_and_rule(tmp_path, caplog, markdown, rule):
    with pytest.raises(Abort):
        build_page(tmp_path, markdown)
    assert "docs/index.md" in caplog.text and rule in caplog.text, caplog.text


def test_a_page_with_math_code_tabs_and_tables_builds(tmp_path):
    build_page(tmp_path, "Math $x^2$ and `code`.\n\n| a | b |\n|--:|:-:|\n| 1 | 2 |\n\n=== \"One\"\n\n    text\n\n"
               "!!! note \"Title\"\n\n    body\n\n```python\nprint(1)\n```\n")
    assert "<table>" in (tmp_path / "site" / "index.html").read_text()


# --- The whole page after the theme (issue 20) ------------------------------------------------

THEME = ThemeMarkup(
    scripts=frozenset({"assets/javascripts/bundle.abc.min.js", "assets/javascripts/study.js"}),
    stylesheets=frozenset({"assets/stylesheets/main.abc.min.css"}),
    inline_scripts=tuple(theme_inline_scripts([Path(material.__file__).parent / "templates"])),
    base_path="/qa/",
)
SCOPE = '__md_scope=new URL("{base}",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),' \
    '__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,' \
    'a=__md_scope)=>{{try{{t.setItem(a.pathname+"."+e,JSON.stringify(_))}}catch(e){{}}}}'


def page(head: str = "", nav: str = "") -> str:
    """A page shaped like Material's, for the topic page topics/t/."""
    return (f'<!doctype html><html lang="en" class="no-js"><head><meta charset="utf-8">'
            f'<meta name="description" content="A page"><title>T - Site</title>'
            f'<link rel="stylesheet" href="../../assets/stylesheets/main.abc.min.css"><script>{SCOPE.format(base="../..")}</script>'
            f'{head}</head><body dir="ltr" data-md-color-scheme="default"><header class="md-header"><nav class="md-nav">{nav}'
            f'<a href="javascript:void(0)" class="md-search__icon" data-clipboard>share</a>'
            f'<form class="md-search__form" name="search"><input type="text" class="md-search__input" required></form>'
            f'</nav></header><article class="md-content__inner"><h1 id="t">T</h1></article>'
            f'<script id="__config" type="application/json">{{"base": "../.."}}</script>'
            f'<script src="../../assets/javascripts/bundle.abc.min.js"></script>'
            f'<script src="/qa/assets/javascripts/study.js"></script></body></html>')


def test_a_page_as_the_theme_renders_it_is_allowed():
    assert unsafe_document(page(), "topics/t/", THEME) == []


@pytest.mark.parametrize("head, nav, rule", [
    ('<meta name="description" content="x" autofocus onfocus="alert(1)">', "", "event-handler attribute 'onfocus'"),
    ("", '<span class="md-status" title="" tabindex="1" autofocus onfocus="alert(1)"></span>', "event-handler attribute 'onfocus'"),
    ("</title><img src=x onerror=alert(1)>", "", "event-handler attribute 'onerror'"),
    ("<script>alert(1)</script>", "", "an inline script that is not one of the theme's own"),
    ("<script>" + SCOPE.format(base='" + alert(1) + "') + "</script>", "", "an inline script that is not one of the theme's own"),
    ('<script src="https://evil.example/x.js"></script>', "", "a script other than the theme's and the site's own"),
    ('<script src="../../assets/javascripts/bundle.evil.min.js"></script>', "", "a script other than the theme's"),
    ('<script type="application/json">{not json</script>', "", "a JSON script block that is not JSON"),
    ('<link rel="stylesheet" href="https://evil.example/x.css">', "", "a stylesheet other than the theme's"),
    ('<link rel="import" href="x.html">', "", "<link rel='import'> is not one the theme emits"),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', "", "attribute 'http-equiv' is not allowed"),
    ('<base href="https://evil.example/">', "", "element <base> is not allowed"),
    ("<style>body { display: none }</style>", "", "a <style> other than print-site's chapter numbering"),
    ("", '<a href="jav&#x61;script:alert(1)">x</a>', "javascript: URL"),
    ("", '<a href="data:text/html,x">x</a>', "data: URL"),
    ("", '<iframe src="https://evil.example/"></iframe>', "element <iframe> is not allowed"),
    ("", '<form action="https://evil.example/"><button formaction="x">Go</button></form>', "attribute 'action' is not allowed"),
    ("", '<svg><animate attributeName="href" to="javascript:alert(1)"/></svg>', "element <animate> is not allowed"),
    ("", '<input type="password" name="p">', "<input type='password'> is not allowed"),
    ("", '<h2 id="x&quot; onfocus=&quot;y">t</h2>', "a heading id may hold only"),
])
def test_a_leak_through_a_template_is_found_anywhere_in_the_page(head, nav, rule):
    findings = [str(finding) for finding in unsafe_document(page(head, nav), "topics/t/", THEME)]
    assert any(rule in finding for finding in findings), findings
