from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "outbox" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "task" VARCHAR(200) NOT NULL,
    "args" JSONB NOT NULL,
    "request_id" VARCHAR(128),
    "status" VARCHAR(16) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "published_at" TIMESTAMPTZ,
    "publish_attempts" INT NOT NULL,
    "run_attempts" INT NOT NULL,
    "last_error" TEXT,
    "finished_at" TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS "idx_outbox_status_eafd40" ON "outbox" ("status", "created_at");
COMMENT ON COLUMN "outbox"."status" IS 'PENDING: pending\nPUBLISHED: published\nSUCCEEDED: succeeded\nFAILED: failed';
CREATE TABLE IF NOT EXISTS "aerich" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "version" VARCHAR(255) NOT NULL,
    "app" VARCHAR(100) NOT NULL,
    "content" JSONB NOT NULL
);"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        """


MODELS_STATE = (
    "eJztmG1vm0gQx78K4lVO6kU2iR9aVZUcmyZUiR3V9Fr1elotsMYosNDdpUmU5rt3dw0GFs"
    "zZuSRNc31n/jMDw2+W3fHc6FHsoZDuz1LmxFfvYkd/pd3oGEaI/6gbX2g6TJLCJAQGnVB6"
    "x9JN+jiUEegyri5gSBGXPERdEiQsiDFXcRqGQoxd7hhgv5BSHHxNEWCxj9gSEW74+x8uB9"
    "hDV4iKyxt9EaDQk791yiBLZRouQZAhD0CmiwB0lRBEKX8cze+RvVX2IHadyKx16czTlRe3"
    "wjG5APIRFRaBJzylDvLYo8C3MHsrfcXrOMCNwzTChX9yzZYxXgcEmAnVRxgRkS3XGEkFH5"
    "FVBjJHtkJRuKwYlGI8tIBpyEo8HVBoOgDTmQ3mpg2AvkMFXI6M4+CpUgnAFyn8+dIwDg4G"
    "RuegP+wdDga9YWfIfWW+ddPgdpVMQWt1K8nMOramtkgo5ktktXKEcCtjIIOgKG9Bn0F6Ue"
    "c/XkLSTD/3V/jzF1P557TbCpALRQWKZf0YJYjgFQgR9tmSXxqdTgvev0bvxyej93vc648q"
    "5GlmMlY2wbvgC4lP63zfzWfTZr65v8LXC1ymfdfCgNbW+X1x1l8vUuwKhJqTBiELMN0Xz3"
    "ujPxD9FtiCj7hzROnXsMx472z0ScU/Pp0dSWQxZT6Rd5E3OFJKQRCHQRlo2nA2L/hq1J2W"
    "fbarPM1V3zWGW6x67rVx1UtbFXVxetQxmziNJGqLZwWxi2rIi+jH22X0BGFPUNsNun5uTi"
    "fW9PiVlsV/wecfjk6t+Yk54Vrq8C9oibwveP5hPDbNiVBp6roIeUJ9O7JOhbSAQYhWa2/X"
    "8vW3qV5/c/H6au1K532tfhNuYUGEmj+VaqS6g2Wh+/mPX/G84C/ozXB4nX3ULeht68yc26"
    "Oz88o2NhnZprAYUr1W1D21TOubaB8t+0QTl9rn2dRUd7u1n/1ZFznBlMUAx5cAeqWuJldz"
    "apWqr5fqHequxt5D5Z/YlvmLFDpnsk2lea0YihLWsEtvbL2bQv+9Eb+vD7vzsI240T0cHA"
    "4P+ofr/nuttLXdeYtd6jNSfBe4athvsCrYEPI+DBESkzpWm//VbOZajXoODVzbbmR+stsb"
    "5/VmdDqbHufuajdd5b4I8F2PBiX098nw1E4GMZZZXJRGA0JwoHtxCYkHapbYiDf51k2REa"
    "kKxNCXRRI0RZ7ZJGyESOAu9YYZWWZ50TYgg4XPQw7Idhph/V/mV/9xd988mfqGiJgy7vJf"
    "vRTyHOdTvd4286leb/N8StiU+RT/qHYgnLk/Q7rdraZ/3ZbpX7c+/eNPZAg3nJqbB4ClkM"
    "efAf6cg/Lepn0/9TC7/QFh9j6f"
)
