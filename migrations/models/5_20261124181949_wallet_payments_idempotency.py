from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "stripe_events" (
    "id" VARCHAR(255) NOT NULL PRIMARY KEY,
    "type" VARCHAR(100) NOT NULL,
    "payload" JSONB NOT NULL,
    "stripe_created_at" TIMESTAMPTZ NOT NULL,
    "received_at" TIMESTAMPTZ NOT NULL,
    "deliveries" INT NOT NULL,
    "job_id" BIGINT,
    "handled_at" TIMESTAMPTZ,
    "outcome" VARCHAR(200)
);
CREATE INDEX IF NOT EXISTS "idx_stripe_even_handled_99508b" ON "stripe_events" ("handled_at", "received_at");
COMMENT ON TABLE "stripe_events" IS 'The webhook inbox: each Stripe event once, kept after handling so that redeliveries';
        CREATE TABLE IF NOT EXISTS "wallets" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "system_name" VARCHAR(32) UNIQUE,
    "balance" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "owner_id" UUID UNIQUE REFERENCES "users" ("id") ON DELETE RESTRICT
);
COMMENT ON TABLE "wallets" IS 'A user''s wallet (`owner`), or a system account (`system_name`); exactly one is set.';
        CREATE TABLE IF NOT EXISTS "purchases" (
    "id" UUID NOT NULL PRIMARY KEY,
    "package_id" VARCHAR(50) NOT NULL,
    "tokens" BIGINT NOT NULL,
    "amount_cents" INT NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "status" VARCHAR(24) NOT NULL,
    "checkout_session_id" VARCHAR(255) UNIQUE,
    "checkout_url" TEXT,
    "payment_intent_id" VARCHAR(255) UNIQUE,
    "charge_id" VARCHAR(255) UNIQUE,
    "failure_reason" VARCHAR(500),
    "payment_failed" BOOL NOT NULL,
    "session_expired" BOOL NOT NULL,
    "paid_at" TIMESTAMPTZ,
    "amount_refunded_cents" INT NOT NULL,
    "tokens_refunded" BIGINT NOT NULL,
    "dispute_id" VARCHAR(255),
    "dispute_state" VARCHAR(8),
    "tokens_disputed" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "user_id" UUID NOT NULL REFERENCES "users" ("id") ON DELETE RESTRICT
);
CREATE INDEX IF NOT EXISTS "idx_purchases_user_id_f2fe89" ON "purchases" ("user_id", "created_at", "id");
COMMENT ON COLUMN "purchases"."status" IS 'PENDING: pending\nPAID: paid\nEXPIRED: expired\nFAILED: failed\nREFUNDED: refunded\nPARTIALLY_REFUNDED: partially_refunded\nDISPUTED: disputed';
COMMENT ON COLUMN "purchases"."dispute_state" IS 'OPEN: open\nWON: won\nLOST: lost';
COMMENT ON TABLE "purchases" IS 'One token package bought through one Checkout Session.';
        CREATE TABLE IF NOT EXISTS "ledger_movements" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "kind" VARCHAR(16) NOT NULL,
    "key" VARCHAR(200) NOT NULL UNIQUE,
    "created_at" TIMESTAMPTZ NOT NULL,
    "purchase_id" UUID REFERENCES "purchases" ("id") ON DELETE RESTRICT
);
COMMENT ON COLUMN "ledger_movements"."kind" IS 'PURCHASE: purchase\nTIP: tip\nREFUND: refund\nDISPUTE: dispute\nDISPUTE_WON: dispute_won';
COMMENT ON TABLE "ledger_movements" IS 'One change of the ledger: its entries sum to zero and commit together.';
        CREATE TABLE IF NOT EXISTS "ledger_entries" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "amount" BIGINT NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "description" VARCHAR(200) NOT NULL,
    "reference" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "movement_id" BIGINT NOT NULL REFERENCES "ledger_movements" ("id") ON DELETE RESTRICT,
    "wallet_id" BIGINT NOT NULL REFERENCES "wallets" ("id") ON DELETE RESTRICT
);
CREATE INDEX IF NOT EXISTS "idx_ledger_entr_wallet__ecec10" ON "ledger_entries" ("wallet_id", "id");
CREATE INDEX IF NOT EXISTS "idx_ledger_entr_movemen_78159d" ON "ledger_entries" ("movement_id");
COMMENT ON COLUMN "ledger_entries"."kind" IS 'PURCHASE: purchase\nTIP_SENT: tip_sent\nTIP_RECEIVED: tip_received\nREFUND: refund\nDISPUTE: dispute\nDISPUTE_WON: dispute_won';
        CREATE TABLE IF NOT EXISTS "tips" (
    "id" UUID NOT NULL PRIMARY KEY,
    "amount" BIGINT NOT NULL,
    "message" VARCHAR(280),
    "created_at" TIMESTAMPTZ NOT NULL,
    "creator_id" UUID NOT NULL REFERENCES "users" ("id") ON DELETE RESTRICT,
    "fan_id" UUID NOT NULL REFERENCES "users" ("id") ON DELETE RESTRICT,
    "movement_id" BIGINT NOT NULL UNIQUE REFERENCES "ledger_movements" ("id") ON DELETE RESTRICT
);
CREATE INDEX IF NOT EXISTS "idx_tips_fan_id_cd5b1d" ON "tips" ("fan_id", "created_at");
CREATE INDEX IF NOT EXISTS "idx_tips_creator_5ba5bc" ON "tips" ("creator_id", "created_at");
        CREATE TABLE IF NOT EXISTS "idempotency_keys" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "key" VARCHAR(255) NOT NULL,
    "fingerprint" VARCHAR(64) NOT NULL,
    "lease" UUID NOT NULL,
    "locked_until" TIMESTAMPTZ,
    "response_status" INT,
    "response_body" JSONB,
    "created_at" TIMESTAMPTZ NOT NULL,
    "expires_at" TIMESTAMPTZ NOT NULL,
    "user_id" UUID NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_idempotency_user_id_bc4599" UNIQUE ("user_id", "key")
);
CREATE INDEX IF NOT EXISTS "idx_idempotency_expires_ae52bb" ON "idempotency_keys" ("expires_at");
        -- Money invariants the database itself guarantees.
        ALTER TABLE "wallets" ADD CONSTRAINT "chk_wallets_one_holder"
            CHECK (("owner_id" IS NULL) <> ("system_name" IS NULL));
        ALTER TABLE "ledger_entries" ADD CONSTRAINT "chk_ledger_entries_amount"
            CHECK ("amount" <> 0);
        ALTER TABLE "tips" ADD CONSTRAINT "chk_tips_amount"
            CHECK ("amount" > 0 AND "fan_id" <> "creator_id");
        ALTER TABLE "purchases" ADD CONSTRAINT "chk_purchases_amounts"
            CHECK ("tokens" > 0 AND "amount_cents" > 0 AND "amount_refunded_cents" >= 0
                   AND "tokens_refunded" >= 0 AND "tokens_disputed" >= 0
                   AND "tokens_refunded" + "tokens_disputed" <= "tokens");
        -- The ledger is append-only: a correction is a new movement, never an edit.
        CREATE OR REPLACE FUNCTION "ledger_append_only"() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'the ledger is append-only: % on % is refused', TG_OP, TG_TABLE_NAME;
        END
        $$;
        CREATE TRIGGER "ledger_entries_append_only" BEFORE UPDATE OR DELETE ON "ledger_entries"
            FOR EACH ROW EXECUTE FUNCTION "ledger_append_only"();
        CREATE TRIGGER "ledger_movements_append_only" BEFORE UPDATE OR DELETE ON "ledger_movements"
            FOR EACH ROW EXECUTE FUNCTION "ledger_append_only"();"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "tips";
        DROP TABLE IF EXISTS "ledger_entries";
        DROP TABLE IF EXISTS "ledger_movements";
        DROP FUNCTION IF EXISTS "ledger_append_only"();
        DROP TABLE IF EXISTS "purchases";
        DROP TABLE IF EXISTS "wallets";
        DROP TABLE IF EXISTS "stripe_events";
        DROP TABLE IF EXISTS "idempotency_keys";"""


MODELS_STATE = (
    "eJztXWtz27YS/SsYfakz43pi+RHXvXNnFFtp1TiWR5b7dIeBREhCTQEsCdpWe/PfL8D32y"
    "RNSRSDL5mYxILUWRDYPbtY/NtZUhVp5sENNM0naqgjZCLWOQf/dghcIv6f9Ab7oAN1Pbgt"
    "LjA40WwJ3W2qGKKtfQ9OTGbAqeh5BjUT8UsqMqcG1hmmRAj1gN2a//u3hUz2PWALBHgvD8"
    "gA2DT5NYCZCUxM5hr61jIRYPQBEfC04P9gBkxEVNMWQkuItQPxVJVO+WO5xLoeYBHMO1MY"
    "nSN+w+CP+eNPfhkTFT0j0/tTf1BmGGlqBFasig7s6wpb6fa193g+IOyD3Va8/kSZUs1akq"
    "C9vmILSnwBTGxVzBFBBmRIPIEZlkCXWJrm6sMD3HnZoInzliEZFc2gpQkdCWnnBYJrHUW5"
    "Ho6V2/5YUToJ/XkSIcTdS1NKhO75q5o2AHPxCt9+1+0eHb3rvj06PTs5fvfu5OztGW9rv2"
    "/y1rsvzssEaDld2ZgNfhhcj8ULUT7AnAEoLnyxZSCDjpStjAB9W7XKApqLpBYuFtBI10FU"
    "KqYL/iPjuvCQDynDhbohuljCZ0VDZM4W/M/T4xyYf+6NLn7sjfZOj99Esb5273TtWwL1AG"
    "X3U0OqAlkS50uOEsNLlI51XDaGtuoKH3j/KYB94kPwLgToB5PTJuA3EFSHRFu5as+Bfzz4"
    "1L8d9z7diMctTfNvzUawN+6LO1376ip2de80piq/E/DLYPwjEH+C34fXfRtearK5YT8xaD"
    "f+vSPeCVqMKoQ+KVANjVDvqodaRPPoWce8twp6j0rWoPX4F7dlpe+Ikj1McrXMl0RWQcUh"
    "ManfJuuXG0FVpu6QmNRvw/VrKGmG6N3d4DJTt55ITLeWhdUDIbiDK3GOUm2r58jRUhh/+5"
    "d++SLs+9lDqo0poEpC+4EaCM/JR7SyAR7w94BkilIAdR2vO7eb3YQ0uBp8ygZ88h2i8IDi"
    "v53/YsQcK7x3e9G77HdshCdw+vAEuUcZgVrcoV0au+K3Td5adpfxK5DAuQ2O+BXinV3UR2"
    "jGFb0YC4u/k+IOR+7v53nDhtNSsZ2Hgs7wkCCgYfIA6AxA7nmaJr/xjQkMyqBoA6YLDun3"
    "4PMMLrG24vh9BgxzDxYCjc6xaOo8DniuadIfXtMzpEu8oy6xr+Yyy0FEaL0LwiY1Un09CC"
    "+vWyMZGja818wyTLkbXY1jiEpKhqEpxuuOMQxN0/qOaLmQi+IuMNW1ndqBVHqjlW6boNVY"
    "44ikZB8arWX0yE2darGBsKTUcpO1LDkmyTFJjimVY7JRT+GWPG1kc0riBxWjkrKxrJmoyf"
    "6c6/+SX3ZnO/+ZWWRq01j2k8Q/x//tNO7T3s8hZOw0kzLMgS/QOtKge1KENeCtMmkD+16U"
    "N1hAomqoDMCBROsQPnpbAOCjt5n4iltReFVs6hpcKfbfJUCOy9UD9baJmCgHVgTs02ywTx"
    "NgGzRrJPeJtUxYATGfqc4xXQRo7pSTknNx50PvWnRF7snFqN8bD0fnwKbvqHFPepefBvwu"
    "VJeYxOMcRfRxeFpAH4dxKzrQh7gV1ccE06Q6xug5I5LhNt+gBrawFI77v44jXosH4N6n3q"
    "9vIp7L1fD6B695CPCLq+H7GNDwkS+fhmIZpVbKqFQtiXyNmmCO3habzvPm88Qc46f1lo1o"
    "JARbOKV3T04KWSgnORbKSRxxNyhrKo9Qw6oCZyzN23sp2Sq9D8maNJk1kTGt7O+uvTEtS1"
    "craj0qKbXeFK2nfOz22ycovWwGKmUBDvbVxJJl3A4+fBwhzU7iyab8Evt5dmxAZHF/sRBD"
    "PPeqOmDxjK824jWjmkafXG6xOlQf7G7aDZLoRoKUCdISqRi+DqBPXhdtxIdQhmd4akPwyq"
    "/tOtRVW+FiWDf5sjdF+BGlZYmWgGuM9VajJHbXSIQyENItY7qA3Cd+pfHkdtNWmLCKljpl"
    "iExXygNavRKtQdDbR7RqE2alosMx754aislgnhk/JGhM+T8vI3zhdHjr9beTxE3+kHyCmo"
    "ZyJrbiYP3i99QSmEqmHUQGS0r6QXwwZachJMbxWtMR/u0EP9D3VDgclrPeeUkeQgo964bL"
    "e3oduT/SfZo3JDp2Y/7O9h/2gAs95C+KiU+q1NF/ZkZFc7KkthqTXk8iRXKsRDHO3GCUFH"
    "x5s1Fdy9nbNUHsbjbqHh6/Oz47Oj329xj5V/K2FnnbiAJwI99IGcoyIthCxnJ3GUqHmC5B"
    "USbNoJcyFL3Ves35iU2YzGrOTnxVxqHLOaUs+gEblb3cO9PhGhb6P7yEENeg6PyZt/R7Vo"
    "cDWb0rPn+PevqVm1wbuclVxlWzFbSbEbYicdXojFHUwI5KyZ0IMcMvmCqLbxYnEszzIts6"
    "3OVQ7urIs5uC4ZRuNqXMABLUl0CNTnpN2i3jhANTTFc/TphtufrRyM0RVPSJ+Ga94Mcs0z"
    "dwHStiY9al3JlTN6EU6LNKvn0gvcF8b92gUzHSnKyFMon3N6PhRf/2dnD9wzkIerkno37v"
    "8rdzIKzG1T350Btc9S/Fo7HmRGi3n4Qv3sUykMJf0aQpC2p2xnJSUuaIF8oR509korqjjV"
    "MJwONyLcwQPy4C93E22scJsCcrhhQT/5OCdB6jEBHbHKHdEm4hFJHEKkvZB5GJu9++EuZN"
    "m0tqDiMsuBW+KBObCQQknEk4qYHnmEBNZG+UmYfjci2ch9ey7qnIwI+Q4ce0zKKfbofXGX"
    "tdo2JxVhFPGfgf0LC5tkk5ZI1PLKwxTMwD8dhtGOQCpgihmNgfGN8KGLPcRQfx/YGS8M3+"
    "LNpL+NpOSaXCQoGc3CDXtIh0ZIEL0StF6Y6wjGSg8xloGytJl75El4aHVJPI0siegBTONL"
    "5nIJs6TWxU2ByFaqAp1rGgBdYR6o/3Lub+jfKyMuq/qaj/A//xZbwgr30LvZ/6WSiBeimf"
    "x20vnZ3anR0VqZaOyvr8Uam2nWrWLeTud3Pc/W4KzS29yq/Uq6zoVEqfcgd8yrhFWNSvjM"
    "tJ3zLft/Txkv7lS/5lfGg1ycccWmxCn3+ik06Kgxnc3M/zLqndbLNu5XazcaTXtymvj0Hz"
    "oYwd7LVvode3FiMYGvNSwS6vfTMcP/G81jh+7mHJqXZL9oCPSrUvw+mwe1Ykpax7lp1TJu"
    "7FajLuYO4fImqVxL/+9aWT9efI35Obu/dXg9sfRZ6fbk34F7RA6j25vbu46PcvxVXTmk4R"
    "UsXVJiYESrc9G/r2uu3+UK2g97isdOCb7MC72uK6Ymipp5VWyTS900TlZv94WplhkSrgxs"
    "UksHFgNcjtMGQYaVuUssvGR6XaYMDlzUbrKB8/w6Tq0hATlStD01aGVxWwqI8m6xNmrDop"
    "FJlzYz+PHuOW8xwZCuItMdpw9oVTcGstqRdL+oiWLqkpibfWEW9wmV5nKU8DgYzckVJ5R0"
    "p2nsvLzMQu5Lx0bu7Ein/bF/yDU4HznowHN7z99Zh/aVi3q58610b9i/7gZ0FBiOte7Vix"
    "b/HD3fWl2Lg4swj/+3Jwe3M35l2Kg6cshvwryi/Da/+q8kQbcrRQGJJUXWdleUTEmqzmJp"
    "HcfJQgA7kfTHFiNSTUQqRPi5zGd5p9GN9p4iw+ycxlQ99eZi5sB5ayFmKC0mSovok1bOUX"
    "V0BETMJfCv6czBhvXCeVUTox5lOoqx1TRdHkmNgsEMmNGfG5aTS4GHdSRnsN6BauIb2r2E"
    "Y+8Axkt8On+AM7rRRQaNC/yKp4w6cYryJKlgLucpA5AnQG2AIBp59zgJkJXIoGmNYSMAr+"
    "QQYFkKhgSpdLzIBHuhzEfYgau635QG/Jl2yKL/la3XbbM999h7zkdotaKyvIjRbSL+y0zi"
    "/0ZomSefgxsVek4e9OJK56Fr4eOsPoldZwieOQmonsi+ZwbGiVNogD2EOxvJi9VeJEJT90"
    "uGNzVhbcVQ9SYs5JZelAFj8RqNiBZzsydMseByR+fIor5WKS7UWJw+Y2G5EOCv7WtHEjFp"
    "aO1r6VpVrbUKpVxqK3RCwv+cfCJ5wynlFIpA25bDH36KyQe3SW4x6dSfdIukee7uRxFvI4"
    "i8aC2azA7ldCMef4+vI8kerniaRHEuWBIgVRzTlQpFoksUi0vOTxgq+Jle/EEYPFIuX1xW"
    "jd8HgKrRAEzrOZBSf2XDAs2wPi/MRvTOBIgb3Pdk3Gz2/2ATUABObKZGgJ4NQ+w5Xfdi4o"
    "4r0+v/keoGfevbYClCCATWAilozRrukZMmDb4NV0P4dUCKm3jH8bE2tbpbWjbgEH96ibXV"
    "a9mzjgAmowNfU293iLQKg1+ww3zN1IWiFbIe2lFSxdraj1qKTUelO0nrI10n37RhRSb9Ra"
    "VmOMXYaB6wsDv1iRfj0nyTdxaFYvRr8OF8/P+Uhx8sL5INlunpdTUSL/ltEHRIDOfwB/KT"
    "Ch1nzBAFsY4j+2d3WxQNMHajFw68Rq0/Nty3dzT+7JeIH4u02ZCTQEDYJUMDPoEtzyrnUE"
    "oIGAyajBL4seJo63t6dDrO67qY38lkl5F8a+l8So7t8T9KxjLnVwcMA9xc9OgajPwk20Dw"
    "fynsIdxCXYMxHiTRBjmu3OHzitFToTrijvGz2KfOZ7wkHXMBfFBEDC38TgfQFE7Asixdjk"
    "+gKOcEFPNBIoF95wMkq+/+pt4jJWvtVYuftBlKwiF5Vqch5yRb/2pEjg9iQ7bnuSCNva80"
    "/a2p/j1gYyMimhsmPrZHYoU2/XRxT+FxJCArE2aaC2EkZTyxB7nkvlwodlWjhzHBUhxLL5"
    "MFl6MlR6sjcQVSe5NXVP+r/eDEaisINrOsWLTXpbSvr+phJx7aY3Gg96V1e/KcFdHRoMQ0"
    "1bKUE7d7PJpb/TpFLxym6RLfLd7C3y3eQWedcmVUzHtCq5TGeIt42E7p6cFAH+5CQbeXEv"
    "A3rL0JKYZ9dni8u1Iastj/paR4U2Ha6cyKVzQHhZ2zRFWA75QkMeGqVdgYiQhLkAzGLBsg"
    "zElx9olqvnk5Rsw+wS97yKuV55vlfC+fLmhKAwdcwJo1RDkORPKIFwDPUJl16XNeVf2ey0"
    "/n44vIpM6+8H8Xn77tP7/mjv0FYDb4RZhv/l2R6u4VYS/BRpiX4J9IX1XKUGdiAmi5w2J5"
    "KXDOC6NIXnylSlOZLyrcmjqI3scNg4H6oqVF5EuDUIb5jQ84pBlLNTo1Lts5vWYqp6oAke"
    "KSPt7WUSKtFJg8HvDG/61+eA6ojcE7v0yBPl/7sa3o7PgUad44rKqqbIiTTZ59EkTqNxp5"
    "IwU1V6HgoLy3lIZszJ3CmZMfe1ar1Ixlwo+6FoRkJIRO4VzN+qZplpWV5yV1U01Ss0oF5R"
    "iyZSAbF6GmKJ7VMNM5vrqUdTMnPOSRjrP2bUsAzf3s/LnzPthoqT82U3fTGHTqSwPaHJgt"
    "IHgMmEPp8DBKcLL4fN7gpQ/mHtgwekMwBnDBlgAYmqcRhFhhlbQAYMxF8GPyIvgzWSYLeG"
    "Z9yTPVfaQE49zBk1gApXpl0ME2oafTL5PRMR1bl39PaNnZFnoCmdE2witUqem/1S/irtHS"
    "Gw0Yow2U5snflW7Qyz5BwNLOAqgbXXvoU5KoeFYiyHOTGWw9QYi0ZhynDOPh04JLL5A4K3"
    "YySt5Shgd1Wo7pCmdtBCD2V3PZKkIxpemkqqOybaQkXvqCtahICImmEFwzxRoc0xfofr0m"
    "/NsZ2/6KR03ZpAphKeDXOLtsOhRq3tMnNYVFIGqZu8VFGLTWm5ugkhkQaHi6r6O3WVTS+x"
    "DXWd7MZARUudMpHV/xGlnnsaa7Gfx3HgoK3ygFZrKDj7h884isL8f+bRAU7ekblR/18Wda"
    "l3uck5hWOLxzg0a0ZaS6Irfz4ydAOnlevKyXKNirUQ7frPUtRQalX/7OiULyBjU3Eo6fSB"
    "25UWYThl40e+URqXlWZpk81S3pXOf52TmZS2yS5zFU6RbJEPWJtX7cM0oWrKQptNDCcEX0"
    "UPNwzlTbPDMk/pq5jNQp5KSTVHJaWaG61mmYkkM5Gamol00bu96F32t3VKbA8ZeLropNBP"
    "7p39PNoJBm3WebpRKSboa6GBXmlxZhM8j8gwcblNtiGRFlIPayF6xEdVAmG3eQvRXUtiDX"
    "8iS614n+0/hURkYk1J12mrMZUv/wcSRVtC"
)
