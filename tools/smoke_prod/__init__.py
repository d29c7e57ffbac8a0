"""The production smoke (`make smoke-prod`): what ships, started as it is deployed.

A fresh virtualenv with only `requirements/main.txt` (hash-checked) and the package (not
editable, no dev extras), or the Docker image, runs the Procfile's `api`, `worker` and
`beat` with `APP_ENV=production` and generated secrets, against a throwaway database and
Redis namespace and the Stripe emulator (a dev tool, run from the dev virtualenv). A
scripted journey then goes through HTTP only: sign-up, sign-in, a token purchase paid on
the emulator and credited once, a tip, a thumbnail, `/health`. A missing runtime
dependency, a dev-only import or a production setting that refuses to start fails it.

    python -m tools.smoke_prod                 # the production virtualenv
    python -m tools.smoke_prod --image digis   # the image: api/worker/beat as containers
"""
