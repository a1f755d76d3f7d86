"""Hostile document text: what a careless paste or a hostile author might put in a policy.

Each entry is Markdown source an author could save. None of it may reach a
reader as script, an event handler, a ``javascript:``/``vbscript:``/``data:``
link, a frame, an embedded object or a style. Shared by the rendering tests
and the browser tests, which check the same corpus in a real page.
"""

from __future__ import annotations

XSS_PAYLOADS: list[str] = [
    # Raw HTML tags.
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=alert(1)>",
    '<IMG SRC="x" ONERROR="alert(1)">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>Open</details>",
    "<input autofocus onfocus=alert(1)>",
    '<xss onmouseover="alert(1)">hover me</xss>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<style>body { background: url("javascript:alert(1)") }</style>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<form action="javascript:alert(1)"><button>Go</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    "<!--><script>alert(1)</script>-->",
    # Raw HTML links.
    '<a href="javascript:alert(1)">raw link</a>',
    '<a href="JaVaScRiPt:alert(1)">raw link</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">entity link</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data link</a>',
    # Markdown links.
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;avascript:alert(1))",
    "[click](javascript&colon;alert(1))",
    "[click](<javascript:alert(1)>)",
    "[click](<java\tscript:alert(1)>)",
    "[click](jav&#x09;ascript:alert(1))",
    "[click](  javascript:alert(1)  )",
    "[click](vbscript:msgbox(1))",
    "[click](VBScript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](file:///etc/passwd)",
    '[click](https://example.org "title\\" onmouseover=\\"alert(1)")',
    '[click](https://example.org/?q="><script>alert(1)</script>)',
    '[click](<#" onclick="alert(1)>)',
    "> - [nested](javascript:alert(1))",
    # Markdown autolinks.
    "<javascript:alert(1)>",
    "<JaVaScRiPt:alert(1)>",
    "<vbscript:msgbox(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    '<https://example.org/"onmouseover="alert(1)>',
    # Markdown images.
    "![pic](javascript:alert(1))",
    "![pic](https://evil.example/x.png)",
    "![pic](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '![pic](x "title" onerror="alert(1)")',
    # Reference-style links.
    "[click][evil]\n\n[evil]: javascript:alert(1)",
    '[click][evil]\n\n[evil]: <JaVaScRiPt:alert(1)> "A title"',
    "[click][evil]\n\n[evil]: vbscript:msgbox(1)",
    "![pic][evil]\n\n[evil]: javascript:alert(1)",
    # Inside headings, tables and code.
    "## Heading <img src=x onerror=alert(1)>",
    "## [Heading](javascript:alert(1))",
    "| a | b |\n|---|---|\n| <svg onload=alert(1)> | [x](javascript:alert(1)) |",
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
]
