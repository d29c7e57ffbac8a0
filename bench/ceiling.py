"""The ceiling: bare Sanic answering a constant JSON body, with the API's server settings.

python -m bench.ceiling PORT
"""

from __future__ import annotations

import sys

from sanic import HTTPResponse, Request, Sanic, json

app = Sanic("ceiling", configure_logging=False)
app.config.ACCESS_LOG = False
BODY = {"status": "ok", "service": "ceiling"}


@app.get("/")
async def constant(request: Request) -> HTTPResponse:
    return json(BODY)


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(sys.argv[1]), workers=1, access_log=False, motd=False,
            single_process=False)  # fmt: skip
