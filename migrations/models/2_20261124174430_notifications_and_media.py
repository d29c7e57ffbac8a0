from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "media" (
    "id" UUID NOT NULL PRIMARY KEY,
    "status" VARCHAR(16) NOT NULL,
    "failure_reason" VARCHAR(300),
    "content_type" VARCHAR(40) NOT NULL,
    "byte_size" BIGINT NOT NULL,
    "width" INT,
    "height" INT,
    "original_key" VARCHAR(300) NOT NULL,
    "derivatives" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "ready_at" TIMESTAMPTZ,
    "owner_id" UUID NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_media_owner_i_0cd52c" ON "media" ("owner_id", "status", "created_at");
COMMENT ON COLUMN "media"."status" IS 'PROCESSING: processing\nREADY: ready\nFAILED: failed';
        CREATE TABLE IF NOT EXISTS "notifications" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "kind" VARCHAR(40) NOT NULL,
    "data" JSONB NOT NULL,
    "dedupe_key" VARCHAR(200) UNIQUE,
    "created_at" TIMESTAMPTZ NOT NULL,
    "read_at" TIMESTAMPTZ,
    "recipient_id" UUID NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_notificatio_recipie_c5c7cf" ON "notifications" ("recipient_id", "id");
CREATE INDEX IF NOT EXISTS "idx_notificatio_recipie_dce4e8" ON "notifications" ("recipient_id", "read_at");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "media";
        DROP TABLE IF EXISTS "notifications";"""


MODELS_STATE = (
    "eJztXFtzozga/SsUL9tdlUkljnPZnqmtcidOt2c6dpfjzPbOZouRQbZVxsKDRBJvT/77SA"
    "IMiEsD7QtmeHHZkj4hzhHoOwfhr+rCMqBJjj8DQp4t2xhCAqn6TvmqYrCA7EtygyNFBctl"
    "UM0LKBibImLpNdVs3lbUgTGhNtB5zxNgEsiKDEh0Gy0psjAP6iiiNfv8w4GE/qjQGVRYL3"
    "NoK4gQVqYgShSC8NSEPzgEKtSaQ6w8z9gHogqB2CAiCC4AMo/5UQ1LZ4dlEds6gIMR60yj"
    "1hSyCpsd5r//Y8UIG/AFEv/ncq5NEDSNCKzI4B2Ico2ulqLsPZr2ML0Vbfnwx5pumc4CB+"
    "2XKzqz8DoAYUHFFGJoAwr5EajtcHSxY5oeHz7g7mCDJu4oQzEGnADH5BzxaHcAQZmqaf3B"
    "SLvvjjRNjfHnR4QQ94p0C3Pu2VCJAGDKh/DDP1uts7PL1snZxdV5+/Ly/OrkirUV441XXb"
    "66gwnQcrsSmPU+9PojPiCLTTB3AvKCVxEDKHCjBBkB+oJabQbILM7C9QzYyRxEoyQu2EnK"
    "XPjIh8jwoK4IFwvwopkQT+mM/bxoZ8D8a2d4/bEzfHPRfhvFuu/VtEQVRz1A2bvUoKEBGs"
    "f5hqFE0QImYy3HSmgbXvCx/yUH9rELwS8I0A9uTruA34bAGGBz5dGeAf+od9e9H3XuPvPD"
    "LQj5wxQIdkZdXtMSpSup9M2FRNW6E+XfvdFHhf9Ufhv0uwJei9CpLY4YtBv9pvIxAYdaGr"
    "aeNWCEZqhf6qMWYR6+LBHrrQTv0cgNsC5fcXsm/UBI9jHJZJktibQExaGwht8q88uSoDK3"
    "7lBYw2/F+bW1pET04aF3k8qtHyJx6zjIOOaBB7gSZ5Aqsp4zl6Uw/uJMX195fj+ZJ+aYHK"
    "o4tLeWDdEU/wJXAuAeGwfAOkwA1BNeD143hwlpUBpcyjZ4Xgui8IRi587OGFI3C+/cX3du"
    "uqpAeAz0+TNgijICNa+xWpZUsm4br1q0FnIJwGAqwOFnwcfsoT6EE0b0bMQzfjVBDkfqj7"
    "LUsO221IR4yCmGBxgqJsJzxZoogClPQljFP4hiWxTwNoo+Y5D+qPw+AQtkrhh+vysUMQUL"
    "FNOaIt7UPZziS9O4Ht7SMRpJfKCSeE1zkeUgErTdBWGXjJRfD8LL695MhopN7y27DDqT0e"
    "U8hmhk4zBUJXk9MIehaqwfCMu5JIq3wJRnO7GDhvRKky5S0HKucSSycR8qzTJ8YqlOuWcD"
    "4ciG5Sqz3HhMjcfUeEyJHpNAPcFb8tlI95T4CeWzktKx3LBRk345b/5K/racVX+aOFgXNp"
    "Y4Ev9o/0ut3KV9lGHIiG0mRZyDdUDtTIPWeR7XgLVKtQ1EXdQ3mAFsmLAIwEFE7RA+O8kB"
    "8NlJKr68KgqvgcjSBCtN/C4Ashy3Gaj3bcREPbA8YF+kg30RA9u20mZyFzuLWBYgaaZNzu"
    "k8QDNRjgvei9XbTp93hR/x9bDbGQ2G7xRh31n2I+7c3PVYLTAWCMvPOfLwcXqRg49TOYsO"
    "+OBVUT7GyIrTMYIvKU8yvOY7ZGAPS+Go+2UUUS0+gG/uOl/eRpTLp0H/g988BPj1p8F7Ce"
    "j1XtOiNnsssIb3mdb5ea5l8zxj2TyXp7b3pJBoT8BETINPaJIE+dYOoOQ+GilfZSnfPGhJ"
    "v+7q+6DFWRolWY9GNqxXhfWEi12MPuYzpdsiCQtw8LKHtIPD6+D2lyE0xc6SdB8q9pLJgU"
    "2INENK8r3lDUHlAZO3IdURrwU0EPg+mO78LuqID7YomiBdQPCd06kf6qpOcG3TxXXnVoKN"
    "u5506T7uempv1cf9qganolrPeG2GEwqoI0YUStB4MHxZ2l6K7vfnnZx3UH/eqKIxG7r48d"
    "o4xnt1jAM+y/hAQfQOfYilbel8pjGsikGtfh4Orrv3973+h3dK0MsjHnY7N/95p/DUbPWI"
    "bzu9T90bfmhkQqMa5hAfi2NDljEB4t5n85oW8ciNvIS47zRacqLzWdFZXnTMH2VHpPytI4"
    "FTAcDluBqaRO08cLfT0W7HwB6vKNQI+n8C0lnbuSNh397VfQhA73BjdwD/MzJoghWaivu6"
    "fSnMq3YvcSFvnbYv21dnF+010uuSLIDjYM4gms4SnI9UNIOABs44nJaNpggDU5vDVZH7sB"
    "xXw/vwVtY9A9roicm5J5iQFv58P+inPIONhsnWHdKp8qdiIrK1m3IoGx87yKQIk2N+2H0k"
    "5Bym7OdW8iMqKXPnHcjPrRovPf2yOExXNY+XLkRJqQ2vQVzzjKw6tnmc4bC9ktfuCMc0G1"
    "6zN7wKrOLgNjteoztew1OqSlteIwZzgmcqG9Dp1mnM9d6dhWpDHS0RtwVcgNnn95im/PaR"
    "0Tu/9+/Ul21eud6sMk/3a+fs5IuoIL99DdXP5l0ojnohzeO1b8TOxsWOAQ1nCYtq/mhU3f"
    "5tr5VL7rcy5H4rweZuVOXfVFWWFJWNpjwATSlnhHl1pRzXaMtsbbnGq9GX39KX8tSqksYc"
    "OHRsvfxsjdUEgRlUHmWpS0s0262s3O9unEb17Ur1UUDmRfJgv30NVd9WkmBgTws97PLbV0"
    "P48ePVRvh5f+KdmLekT/hoVP12OJ22rvJsKWtdpe8p43XSa1kHuPcPYqPMxr9u/8bd9efG"
    "P+LPD+8/9e4/8n1+S2fMrqAZNB7x/cP1dbd7w0uJo+sQGry0ihsCG9meDn19Zft6qpbgXY"
    "5tBHyVBbzHFuOKwsUy6SWp1NQ7KXR3eyNPtpuIb2xbme3gMuDKYQ2wMrAmYHkYtG0r4Zl7"
    "+t8ZRKPqkMDt+m8NJgiXXRqk0GZlqNrKUOA1223aZB1oI32mJnhkXs1RlkEGgjaV+Quyv4"
    "t/9Z1393Rn6gnaBBV7IykUUkd/aht/oMIvqgIIe81riO5pLvfvNMP9O01906uIARgK2b0H"
    "uJ+FcmNu314Xs9e/AFcEXs4="
)
