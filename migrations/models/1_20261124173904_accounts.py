from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "users" (
    "id" UUID NOT NULL PRIMARY KEY,
    "email" VARCHAR(254) NOT NULL UNIQUE,
    "handle" VARCHAR(30) NOT NULL UNIQUE,
    "display_name" VARCHAR(60) NOT NULL,
    "role" VARCHAR(16) NOT NULL,
    "bio" TEXT NOT NULL,
    "password_hash" VARCHAR(255) NOT NULL,
    "sessions_valid_after" TIMESTAMPTZ,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL
);
COMMENT ON COLUMN "users"."role" IS 'FAN: fan\nCREATOR: creator\nADMIN: admin';
        CREATE TABLE IF NOT EXISTS "password_resets" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "token_hash" VARCHAR(64) UNIQUE,
    "requested_at" TIMESTAMPTZ NOT NULL,
    "expires_at" TIMESTAMPTZ,
    "sent_at" TIMESTAMPTZ,
    "used_at" TIMESTAMPTZ,
    "user_id" UUID NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE
);
COMMENT ON TABLE "password_resets" IS 'A reset request; the worker issues its single-use token when it sends the email.';
        CREATE TABLE IF NOT EXISTS "refresh_tokens" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "family_id" UUID NOT NULL,
    "token_hash" VARCHAR(64) NOT NULL UNIQUE,
    "created_at" TIMESTAMPTZ NOT NULL,
    "expires_at" TIMESTAMPTZ NOT NULL,
    "family_expires_at" TIMESTAMPTZ NOT NULL,
    "rotated_at" TIMESTAMPTZ,
    "revoked_at" TIMESTAMPTZ,
    "user_id" UUID NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_refresh_tok_family__59d0e5" ON "refresh_tokens" ("family_id");
COMMENT ON TABLE "refresh_tokens" IS 'One link of a session''s rotation chain; `family_id` ties a login''s tokens together.';"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "refresh_tokens";
        DROP TABLE IF EXISTS "password_resets";
        DROP TABLE IF EXISTS "users";"""


MODELS_STATE = (
    "eJztW+9v2jgY/leifLlN6ip+t7edTmJAN7YWKkrvpl1PmUkMWA0Oi522aNf//WyTkMRJWM"
    "hBCVy+ILDf13aex47f97H5oc4sA5rk9BoQ8mjZxgASSNW3yg8VgxlkX+INThQVzOd+NS+g"
    "YGQKj7lrqtncVtSBEaE20HnLY2ASyIoMSHQbzSmyMHdqKsKafX53IKHvFDqFCmvlHtoKIo"
    "SVKYgShSA8MeEbh0CFWvcQK49T9oGoQiA2iHCCM4DMU96rYemsW+axqw4cjFhjGrUmkFXY"
    "rJu//mbFCBvwCRLv5/xeGyNoGiFYkcEbEOUaXcxF2Xs06WJ6IWz58EeabpnODPv28wWdWn"
    "jlgLCgYgIxtAGFvAdqOxxd7Jimy4cH+HKwvslylAEfA46BY3KOuPdyAH6Zqmm9/lC76Qw1"
    "TY3w53kEEHeLdAtz7tlQiQBgwofw5tdKpVo9q5SqjfN67eysfl46Z7ZivNGqs+flYHy0lk"
    "0JzLofur0hH5DFJthyAvKCZ+EDKFh6CTJ89AW12hSQaZSF1hTY8RyEvSQu2EPKXHjIB8hw"
    "oc4JFzPwpJkQT+iU/WzU1sD8R3PQ+tgcvGrUXoex7rk1FVHFUfdRdpcaNDRAozi3GUoUzW"
    "A81rKvhLbhOp96X1JgH1kIXoGPvv9yegn4bQiMPjYXLu1r4B92rzo3w+bVNe9uRsh3UyDY"
    "HHZ4TUWULqTSVw2JqlUjyp/d4UeF/1S+9nsdAa9F6MQWPfp2w68qHxNwqKVh61EDRmCGeq"
    "UeaiHm4dMcsdYy8B723ALr8orbM+kHQrKHyVqW2ZZIM1AccCv4zTO/LAjK8uoOuBX85pxf"
    "W4sLRG9vu+1Ebj0XiVvHQcYpdzzAnXgNqSLqqS5ZCuIvnvT5mcf34/vYGJNDFYX2wrIhmu"
    "DPcCEA7rJxAKzDGEDdxOvWbeYwIfVL/aVsg8dVQhScUOzZ2RNDuozCmzetZrujCoRHQL9/"
    "BCyjDEHNa6yKJZWsbKNVs8pMLgEYTAQ4/Cn4mF3UB3DMiJ4OecSvxqTDofqTddmwvbTURP"
    "KQMhnuY6iYCN8r1lgBLPMkhFX8QhTbooDbKPqUQfpO+TYGM2QuGH7fFIpYBgsU05ogbrrs"
    "TvFS02g+vKM+ipT4QFPiFc2bbAchp91uCC/JSPb9ILi97k1kyNn03rHKoLM0OpvGEPYsFI"
    "a8BK8HpjDkjfUDYTlViuJuMNnZjm2gID3XpIsQNJtqHPIs1IdcswwfWKiT7Wwg6FmwnGeW"
    "C42p0JgKjSlWYxKox2hLHhvJmhJ/oHRSUjKWWxZqkpfz9lfyz9NZ9bexg3UhY4me+Eftdz"
    "V3S/tkjSAjrplsohysHI5ONKjU06gGzCpRNhB1Yd1gCrBhwk0A9j2ODuFqKQXA1VIivrwq"
    "DK+ByNwEC0383gBk2W87UO9biAlrYGnAbiSD3YiAbVtJM7mDnVkkCpBypm3O6TRAs6Qcb/"
    "guVi+aPd4UvsOtQac57A/eKkK+s+w73GxfdVktMGYIy+ccafgoN1LwUZajaJ8PXhXmY4Ss"
    "KB1D+JRwkuGavyADe9gKh50vw1DW4gH46qr55XUoc7ns9z545gHAW5f99xLQq7umm8rsEc"
    "cjfM9U6vVU22Z9zbZZl6e2e1JItAdgIpaDj2lcCvKzG0DxbRSpfJ5T+eKgJXndHe9BizM3"
    "MrIe9ixYzwvrMYtdjD6iMyXLIjEbsP9nD+kGh9vAxecBNMXNkmQdKvInkwObEEmClKR7yx"
    "eCsgMmX0M6Frx2Kbv1HTqynj5ZIzVGe/MrT9YJcJYw27kC90P1n4lFpIA6YhiB7ZQ7wKe5"
    "7QZUXhvuU7kdeZNGFcZsuOLHc3ERK5cXsSgg95tkMp79MSYwpTRKCbNKTmBKEa0E2JOYt+"
    "6nm34vHl/PXg5gkE6VfxQTkZ3tVAEVe+QgkyJMTnl/+xCyOT7rs3c5UZeCEt6AnL27f/KK"
    "PR9MnvBhr638DS9Xs75cOU+jR1XOkwUpXiel7avdI4tG6Hu/oEY1h9jgqG0Gunrd6bW7vQ"
    "9vFdf/Dl/fvr/s3nzstFmZM2IraAqNO3xz22p1Om1eShxdh9DgpRfN7iUvGgNkQiMfamKR"
    "eCdDf5gpWJrEezVVM/Au+xbCWn5y7USmGVcUzuZxSXRi6B3n+vNAfFsLu7TbQLxSrp3Vzq"
    "uN2ir+XpWsC7u9EDsQZzg4C7iyWwGsDKwJWBwGbduKOQJIPu4Kex1DAPfSx15jhLNuDZJr"
    "sTPkbWfYQIbdpUzWhDbSp2qMRubWnKwTyIBvk5srav8X/eo/vt2TlakHaBNXjk6bqwdcjl"
    "Gf2sUBO19UGyDsmh8huuVU6l95jfpXjqp/rEcKccyumSwABlxeXgPcz0a5NbVvr5vZ87+r"
    "mEAK"
)
