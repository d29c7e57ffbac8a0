from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "creator_stats" (
    "follower_count" INT NOT NULL,
    "joined_at" TIMESTAMPTZ NOT NULL,
    "user_id" UUID NOT NULL PRIMARY KEY REFERENCES "users" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_creator_sta_followe_c4fc19" ON "creator_stats" ("follower_count", "user_id");
CREATE INDEX IF NOT EXISTS "idx_creator_sta_joined__2d9751" ON "creator_stats" ("joined_at", "user_id");
        CREATE TABLE IF NOT EXISTS "follows" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "creator_id" UUID NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
    "fan_id" UUID NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_follows_fan_id_d56b56" UNIQUE ("fan_id", "creator_id")
);
CREATE INDEX IF NOT EXISTS "idx_follows_creator_b5f0ca" ON "follows" ("creator_id", "id");
CREATE INDEX IF NOT EXISTS "idx_follows_fan_id_c2ce59" ON "follows" ("fan_id", "id");
        ALTER TABLE "creator_stats" ADD CONSTRAINT "chk_creator_stats_follower_count"
            CHECK ("follower_count" >= 0);
        -- Creators who signed up before this table existed.
        INSERT INTO "creator_stats" ("user_id", "follower_count", "joined_at")
            SELECT "id", 0, "created_at" FROM "users" WHERE "role" = 'creator'
            ON CONFLICT ("user_id") DO NOTHING;"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "follows";
        DROP TABLE IF EXISTS "creator_stats";"""


MODELS_STATE = (
    "eJztXWtz4jgW/SsuvmxPVSaVEPKYzNZW0YR0M9OBLiC7szOZ8ggsQBsjM7achO3Nf19Jfs"
    "uP2A4P49EXKki6snyuLN1zdE2+NZaGBnXr+CuwrGfD1IbQgqRxrXxrYLCE9I/kBkdKA6xW"
    "QTUrIGCic4uV21Q1WVteByYWMcGU9TwDugVpkQatqYlWBBmYGbUV3pp+/mlDi/yokAVUaC"
    "+P0FSQZdEyBRFLsRCe6/B724IKMR4hVp4X9AMRxYJYs7gRXAKkH7OrasaUXpZabOsCNka0"
    "M5UYc0grTHqZ336nxQhr8AVa3tfVozpDUNcisCKNdcDLVbJe8bKPaN7D5Ja3ZcOfqFNDt5"
    "c4aL9ak4WBfQOEuSvmEEMTEMiuQEyboYttXXf94QHuDDZo4owyZKPBGbB15iNm7QwgKGuo"
    "an8wVkfdsao2Yv7zLEKIu0VTAzPf06FaHIA5G8L3PzSbZ2eXzZOzi6vz1uXl+dXJFW3Lxx"
    "uvunx1BhOg5XTFMet96vXHbEAGnWDOBGQFr9wGEOBYcWcE6HPXqgtgLeJe6CyAmeyDqJXg"
    "C3qToi885EPOcKGuiC+W4EXVIZ6TBf160cqA+Z/tYedze/jhovVdFOu+W9PkVQz1AGX3UY"
    "OaCkgc5xuKEkFLmIy1aCugrbnGx94fObCPPQheQYB+sDjtAn4TAm2A9bXr9gz4x7277mjc"
    "vvvKLre0rD91jmB73GU1TV66Fko/XAiu8jtR/tUbf1bYV+XXQb/L4TUsMjf5FYN2418bbE"
    "zAJoaKjWcVaKEZ6pV6qEU8D19WiPZWwu9Ryw14XXzi9uz0A3Gyh0mml+mWSEq4OGQm/Vtl"
    "/9IgqMzSHTKT/q24f001KRC9v+/dpPrWMxF8a9tIO2aGB7gTZziVRz1njpfC+PM7fX1l8f"
    "3sMTHGZFDFob01TIjm+Ge45gD36DgAnsIEQF3ide92c5iQBqXBo2yCZ58QhScUvXd6x5A4"
    "UXh71GnfdBsc4QmYPj4DyigjULMao2kIJX7beNWyuRRLAAZzDg67CzZmF/UhnFFHL8Ys4m"
    "8k0OFI/VEWGzadlionDznJ8ABDRUf4UTFmCqDM07Joxd8sxTQIYG2U6YJC+qPyxwwskb6m"
    "+P2hEEQZLFB0Y45YU+dyikdN43x4S9eQlPhAKbHv5iLbQcRouxvCLj1Sfj8Ib697ExkqNr"
    "23rDJMKY0upzFELaXCUJXg9cAUhqp5/UC8nIuiuBtMeW8ndiCdXmmn8xC0nGocsZTqQ6W9"
    "DJ9oqFPubCBsKb1cZS9LjUlqTFJjStSYOOoJ2pLnjXRNid1QPikpHcsNCzXpj/Pmn+S36W"
    "zj7zMbT7mMxa/EPlr/aFTu0T7KEGR4mkkR5cA3qJ1o0DzPoxrQVqmyAa+L6gYLgDUdFgE4"
    "sKgdwmcnOQA+O0nFl1VF4dWQtdLBWuXfC4As2m0G6n0LMVENLA/YF+lgX8TANo20mdzF9j"
    "IWBQicaZNzOg/QlJTjgmtx47bdZ13hB9wZdtvjwfBa4fKdYT7g9s1dj9YCbYmweM6Rxx+n"
    "Fzn8cSpG0YE/WFXUHxNkxN0xhi8pJxlu8x16YA9b4bj7yzjCWjwAP9y1f/kuwly+DPqfvO"
    "YhwDtfBh8FoMET3T5N1TYL7ZRRq40k8lVqgTk7ybecZ63nsTXGT+steqIRM6zhkt48P88V"
    "oZxnRCjnIuLuoaylPgEdaSqYkSS291ayVXIfUjWpsmoiz7TSn7v6nmnZK62k16OW0utV8X"
    "rCw85HH5P00hWohA04eK9GSJZxO7j9eQh1nsSTLvnF3uc5sAmRpv0JRwxi7lV5wMSMrzri"
    "NTN03Xh2tcXyUN3ybuoNEutGgpQK0hJqCLwPoDuvizrigw2CZmjKIXjn09YPdVUnuAodvQ"
    "ihs2GqFgFZe+QAw7FBP97Gt+N0OPL6O0hWlAxvgcOqCAoJh1YiSumHVzEHbfUQ61sjuEF/"
    "f6Nw2E6esHc0yKzgy8p02bLXkXuT7tW8idHgjemY+Rf+XIcu8h8DYT8U30T/qedw1Tlb3+"
    "tJxnaO3+JzJYpxalp63PDtFPVNrdMnW4LYTVFvnrYuW1dnFy0/M90vyUpI95LPA3Ajz0gR"
    "ohsxrCHPPVxe68gZBYhtfH9/K6/F27O3nNVShcVswzkt78pTcZlKwqYfcJj07d5ZDrew0f"
    "/mHSO6AUXj96yt34s6HMg2u+PTcWymX/lqVCVfjZJqfLqDDlOXzaPGR1eMvAF21ErmrwqB"
    "X7BU5n/FEEswr/MkA7vbocwFzoqbgumUHDYlrAAS1LdAjS56VcqxdkTkhNDVV5fTI1dfw9"
    "6dQGU8Yz+sZ/qYbfkBrhNF7Cy6lPncmxaUAn+WydIMrHeYJbgyjSmbac5ZV5F0za/DQac7"
    "GvX6n66VoJcHPOy2b/59rbCocf2Ab9u9L90bdmmkQ2em7T11k43FNqFKh2gZCRtqep5b3F"
    "JmFubKLKRXJOw3wThOBQAX7WqYV9jKA3crHe1WDOzJmkDVQv9NQDpLUYiY7U7Qrom2EMD/"
    "jDSSkD2birvfvhTmVVtLNnyMsKBR+KLI2UxgIOGMw2mYaI4w0NVHuC6yDot2NVyHt7Lvad"
    "BET4CgJ5gQFv40GvRT3pCKmomqIpoS5X+KjqytLcqhaHxiI50gbB2zy+4jIGcwRQTF2Fsl"
    "4gskQuTOOhDfKpGCb/pjUV/Bl5OSUj9HEdjJ1yqqdiId2eBC8kpeuSNsIxXobAWaYyXl0r"
    "fk0vCUqpJYGskkTdBMxUzTdOk0lt66OwnVhFO0QkwW2MZRv9g7W/t3qsvKU/9dnfo/0psv"
    "woK89jVkP5tXoRjqhTiP216SnY2THQ1q9goW5fxRq7r9L5xmLrrfzKD7zQSZW7LKvyirLE"
    "kqJac8AE4pRoR5eaVoJ7llNrf08ZL88i1+KU6tKnHMgU0mxstPxqSRQDCDyqMsdmnwZrul"
    "lfvNxpGsb1esjwDrsUgc7LWvIevbShAMzHmhwy6vfTWIH7tebYif+y82E+OW9Akftapfht"
    "Np8ypPSlnzKj2njNUJv+R1gLl/EGtlEv+6/Rsn68+xf8Bf7z9+6Y0+szy/lT2hT9ACag94"
    "dN/pdLs3rNSyp1MINVZaxYRASdvToa8vbfenagm/i7aSwFeZwLveor4icLlK+s2Q1NA7yV"
    "S+7C+mlZk2LgOuaCaBFYHVAY3DoGkmvaKU/mPDUas6BHBZq9E2fnR4hnDZrUEwlTtD1XaG"
    "d/2AxeZksjY00XTRSNDI3JqjLIEMBG0q8w9C/ir61TtX93Rl6gmaFir2RlLIpI761DZ+c5"
    "s9VAUQdpvXEN3TXOrfaYb6d5r6plcRATBksnsNcD8b5cbUvr1uZq//B/Db/7A="
)
