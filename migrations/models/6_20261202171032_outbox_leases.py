from tortoise import BaseDBAsyncClient

# Expand only: old processes keep working during the deploy (they write pending rows
# without `available_at`, which the sweeper treats as due). The indexes are built
# CONCURRENTLY, each in its own statement, so the busy outbox is never locked for writes.
RUN_IN_TRANSACTION = False

COLUMNS = """
    ALTER TABLE "outbox" ADD COLUMN IF NOT EXISTS "available_at" TIMESTAMPTZ;
    ALTER TABLE "outbox" ADD COLUMN IF NOT EXISTS "lease_until" TIMESTAMPTZ;
    ALTER TABLE "outbox" ADD COLUMN IF NOT EXISTS "lease_holder" VARCHAR(300);
    ALTER TABLE "outbox" ADD COLUMN IF NOT EXISTS "started_at" TIMESTAMPTZ;
    COMMENT ON COLUMN "outbox"."status" IS 'PENDING: pending\nSUCCEEDED: succeeded\nFAILED: failed';
"""
# Jobs an older release marked `published` are pending again, due at once: whatever
# happened to their messages, the sweeper publishes them and they still run once.
BACKFILL = """
    UPDATE "outbox" SET "status" = 'pending', "available_at" = now()
    WHERE "status" IN ('pending', 'published') AND "available_at" IS NULL;
"""
INDEXES = (
    """CREATE INDEX CONCURRENTLY IF NOT EXISTS "idx_outbox_id_39a025" ON "outbox" ("id")
       WHERE status = 'failed'""",
    """CREATE INDEX CONCURRENTLY IF NOT EXISTS "idx_outbox_availab_8088d3"
       ON "outbox" ("available_at") WHERE status = 'pending'""",
    'DROP INDEX CONCURRENTLY IF EXISTS "idx_outbox_status_eafd40"',
)


async def upgrade(db: BaseDBAsyncClient) -> str:
    await db.execute_script(COLUMNS)
    await db.execute_script(BACKFILL)
    for statement in INDEXES[:-1]:
        await db.execute_script(statement)
    return INDEXES[-1]


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP INDEX IF EXISTS "idx_outbox_availab_8088d3";
        DROP INDEX IF EXISTS "idx_outbox_id_39a025";
        ALTER TABLE "outbox" DROP COLUMN "available_at";
        ALTER TABLE "outbox" DROP COLUMN "lease_until";
        ALTER TABLE "outbox" DROP COLUMN "lease_holder";
        ALTER TABLE "outbox" DROP COLUMN "started_at";
        COMMENT ON COLUMN "outbox"."status" IS 'PENDING: pending\nPUBLISHED: published\nSUCCEEDED: succeeded\nFAILED: failed';
        CREATE INDEX IF NOT EXISTS "idx_outbox_status_eafd40" ON "outbox" ("status", "created_at");"""


MODELS_STATE = (
    "eJztXWtz27YS/SsYfYkz4+uJ5Ud83XvvjGIrrZrE8shy04c7DCRCEmoKYEnQttrmv1+AD5"
    "EEHyJpSaYYfMnEJBakzoLA7tld4O/WnOrIsA+uoW0/UksfIBux1jn4u0XgHPH/pDfYBy1o"
    "muFtcYHBkeFKmH5TzRJt3XtwZDMLjkXPE2jYiF/SkT22sMkwJUKoA9zW/N8/HWSz7wCbIc"
    "B7uUcWwLbNrwHMbGBjMjXQvxwbAUbvEQGPM/4PZsBGRLddITSH2DgQT9XpmD+WS2zqAQ7B"
    "vDON0SniNyz+mN9+55cx0dETsoM/zXttgpGhx2DFuujAva6xhelee4enPcLeu23F64+0MT"
    "WcOQnbmws2o2QpgImriikiyIIMiScwyxHoEscwfH0EgHsvGzbx3jIio6MJdAyhIyHtvUB4"
    "raVpV/2hdtMdalorob9AIoK4f2lMidA9f1XbBWAqXuFf/263j47ett8cnZ6dHL99e3L25o"
    "y3dd83eevtV+9lQrS8rlzMet/3robihSgfYN4AFBe+ujKQQU/KVUaIvqtabQbtWVILFzNo"
    "pesgLiXpgv9IWRcB8hFl+FDXRBdz+KQZiEzZjP95epwD80+dwcUPncHe6fHrONZX/p22e0"
    "ugHqLsf2pI1yBL4nzJUWJ4jtKxlmUltHVf+CD4TwHsEx9CcCFEP5yctgG/haDeJ8bCV3sO"
    "/MPep+7NsPPpWjxubtt/Gi6CnWFX3Gm7VxfS1b1TSVXLTsDn3vAHIP4Ev/avui681GZTy3"
    "1i2G74a0u8E3QY1Qh91KAeGaHB1QC1mObRk4l5bxX0Hpdcg9blL+6Flb4jSg4wydUyXxJZ"
    "BRVHxJR+66xfbgRVmbojYkq/NdevpaUZore3vctM3QYikm4dB+sHQnAHV+IcpbpWz5GnpS"
    "j+7i/9+lXY95P7VBtTQJWE9j21EJ6SD2jhAtzj7wHJGKUA6jtet343uwlpeDX8lC34uHSI"
    "ogOK/3b+ixHzrPDOzUXnsttyER7B8f0j5B5lDGpxh7apdGXZNnlr3p7LVyCBUxcc8SvEO/"
    "uoD9CEK3o2FBZ/K8Udjt3fz/OGLa+l5joPBZ3hPkHAwOQe0AmA3PO0bX7jlQ0syqBoA8Yz"
    "Dul34MsEzrGx4Ph9AQxzDxYCg06xaOo9DgSuadIf3tAzlEu8oy7xUs1lloOY0GYXhG1qpP"
    "p6EF1eX4xkqNnw3jDLMOZudDWOIS6pGIa6GK87xjDUTes7ouVCLoq/wFTXdmoHSum1Vrpr"
    "glZjjWOSin2otZbRAzd1qsUGopJKy3XWsuKYFMekOKZUjslFPYVbCrSRzSmJH1SMSsrGcs"
    "1ETfbnvP4vebU72/rPxCFjl8ZynyT+Of5fq3af9n4OIeOmmZRhDpYCjSMN2idFWAPeKpM2"
    "cO/FeYMZJLqBygAcSjQO4aM3BQA+epOJr7gVh1fHtmnAheb+XQJkWW49UL80ERPnwIqAfZ"
    "oN9mkCbItmjeQuceYJK0DymdY5posAzZ1yUnIubr3vXImuyB25GHQ7w/7gHLj0HbXuSOfy"
    "U4/fhfocEznOUUQfh6cF9HEoW9GhPsStuD5GmCbVMURPGZEMv/kWNfACS+Gw+/Mw5rUEAO"
    "596vz8Oua5fOxffR80jwB+8bH/TgIaPvDl09Icq9RKGZdaSyJfrSaYozfFpvO8+TwxxyzT"
    "estGNBKCDZzS2ycnhSyUkxwL5URG3A/K2toDNLCuwQlL8/ZWJVul96FYkzqzJiqmlf3dNT"
    "em5Zh6Ra3HJZXW66L1lI/dffsEpZfNQKUswGFdjZQs43fw/sMAGW4STzbll6jn2bEBkcX9"
    "SSEGOfeqOmByxlcT8ZpQw6CPPrdYHar3bjfNBkl0o0DKBGmOdAyfB9CnoIsm4kMowxM8di"
    "F45td2FemqqXAxbNp82Rsj/IDSskRLwDXEZqNREtU1CqEMhEzHGs8g94mfaTz53TQVJqyj"
    "uUkZIuOFdo8Wz0SrF/b2AS2ahFmp6LDk3VNLsxnMM+P7BA0p/2c1whdehzdBfztJ3OQPyU"
    "doGChnYisO1udlTw2BqWTaQWywpKQfyIMpOw0hMY43mo7wdyv8gUtPhcPheOtdkOQhpNCT"
    "afm8Z9CR/yP9pwVDouU25u/s/uEOuMhD/qCYLEmVdfSfmVFRnyypF41JbyaRIjlW4hhnFh"
    "glBVcXG61rOXuzIYj9YqP24fHb47Oj0+NljdHySl5pUVBGFIIb+0bKUJYxwQYylrvLUHrE"
    "dAmKMmkGrcpQDFbrDecn1mEyW3N24rMyDn3OKWXRD9mo7OXemw43sND/FiSE+AZF6/e8pT"
    "+wOjzI1rvi8/dYT7+qyLWWRa4qrpqtoN2MsBWJq8ZnjKIGdlxKVSJIhl84VRYvFicKzPMi"
    "ZR3+cqiqOvLspnA4pZtNKTOAAnUVqPFJr07VMl44MMV0XcYJsy3XZTRyewQVfSRLs17wY4"
    "69NHA9K2Jr1qWqzFk3oRTqs0q+fSi9xXxv06JjMdK8rIUyiffXg/5F9+amd/X9OQh7uSOD"
    "bufyl3MgrMbFHXnf6X3sXopHY8OL0L58Er54F8dCGn9Fm6YsqNkZy0lJlSNeKEecP5GJ3R"
    "1dnEoALss1MEP8uAjcx9loHyfAHi0Y0mz8VwrSeYxCTGx7hHZDuIVIRBLrLKUOIhP3ZftK"
    "mNdtLllzGGHGrfBZmdhMKKDgTMJJLTzFBBoie6PMPCzLNXAe3si6pyMLP0CGH9Iyi3686V"
    "9l1LrGxWRWEY8Z+AcY2N7YpByxxkcONhgm9oF47EsY5AKmGKGYqA+USwEly110INcHKsI3"
    "+7NoLuHrOiWVNhYK5VSBXN0i0rEFLkKvFKU7ojKKgc5noF2sFF26ii6NDqk6kaWxmoAUzl"
    "SuGcimThOFCtujUC00xiYWtMAmQv1y72Lu3yovq6L+24r63/MfX8YLCto30PtZPwslUC/l"
    "8/jtlbOzdmdHR7pjorI+f1yqaaeatQu5++0cd7+dQnMrr/Ib9SorOpXKp9wBn1K2CIv6lb"
    "Kc8i3zfcslXsq/XOVfykOrTj5m32Ej+vQjHbVSHMzw5n6ed0ndZtt1K+EDxO64eJ63Bz7/"
    "0B10gZfNAf4LXpmI6Py9XiU8zWf5rYnHeBkWr5SzWVNnk0H7voz5HbRvoLO5EdsbWtNSMb"
    "agfT38TfG8xvib/hnNqeZS9oCPSzUvseqwfVYkk619lp3KJu5JW0HuYMqhtx6WHOyt6+7V"
    "pZds6MnfkZvbi4tu91KkF9rOeIyQjvR6ZhwqXiAb+ubyAjGDsqTeZVnFENSZITAQtJHmEJ"
    "Z2MEO+oiVRpef663lGDT0tCJ5t2shyzTNuNpI9x80Tq9qyGZdUH1WdPyrTGXHvZ1ZJz7Ks"
    "0vQOaJrriqG5mbbFWSYXlSaqNt2R07sth1QBVxZTwMrAGtBmGrKstFLh7ONb4lJNWPTzZq"
    "NNHOMywaTq0iCJqpWhbitDIhL4MuGqLmHWopUSqvJu7OeFqQykT5GlId4Soy1nQXobX24k"
    "BXJOH9DcDy6qtMfGRaLgPH2/wzwNhDKqMrRyZWh2vulqqn4Xck9b17dixb/pnoNgQ+07Mu"
    "xd8/ZXQ/6lYdPdhdy7NuhedHs/CaZeXA/2cBf7B7y/vboUGwhMHML/vuzdXN8OeZfiAEiH"
    "oeUV7XP/anlVe6Q1OeIvCkmqrrOyLWNidVZznaK+fJQgC/kfTPFIY0SogUifFjkV9zT7UN"
    "zTxJm4KoCVDX1zA1hRO7CUtSAJKpOhsskQs/KLKyAmpuAvBX9OhmowrpPKKJ2g+inS1Y6p"
    "omiSqjQLxHJUB3xuGvQuhq2U0b4GdAuf5bCr2MY+8AxkX4ZPWQ7stC35IoN+JasSDJ9ivI"
    "rYOhxwl4NMEaATwGYIeP2cA8xs4FM0wHbmgFHwF7IogEQHYzqfYwYC0uVA9iHW2O1qfkfx"
    "JbXkS75Vt931zHffIS9Z9rjWHY5UwaPyC1uN8wuDWaJkPZwk9oxyuN2JxFWvhjMjZwk+0x"
    "oucSxhPZFdaQ5LQ6u0QRzCHonlSfZWiZMNl6HDHZuzsuCueqAh804MTQey+Ml8xQ4e3ZGh"
    "W/ZYPvHjU1wpH5NsL0oc+rrdiHS48f6atjOXwtLxPejVlulN2DJdxaJfiFie84+FTzhlPK"
    "OISBNy2ST36KyQe3SW4x6dKfdIuUeB7tSxUupYqdqCWa/A7jdCMef4+upcr+rneqVHEtXB"
    "XgVRzTnYq1oksUi0vOQxv8+Jle/EUb/FIuXri9H64fEUWiEMnGczC17suWBYtgPEOcavbO"
    "BJgb0v7t7IX17vA2oBCOyFzdAcwLF7ljq/7V3QxHt9ef0dQE+8e2MBKEEA28BGLBmj3dAz"
    "VMC2xqvpfg6pEFFvGf9WEmvajqdH7SIV2u3sAu124qApaMDU1NvcY6ZCocbUGW6Zu1G0Qr"
    "ZCmksrOKZeUetxSaX1umg9pTTSf/taHGhSq7VsjTF2FQZeXxh45ckwJV29gt52HYdm9UNh"
    "NuHiLXM+Upy8aD5ItpsX5FSUyL9l9B4RYPIfwF8KjKgznTHAZpb4j+tdXczQ+J46DNx4sd"
    "r0fNvy3dyROzKcIf5uY2YDA0GLIB1MLDoHN7xrEwFoIWAzavHLooeR5+3tmRDr+35qI79l"
    "U96FtR8kMer7dwQ9mZhLHRwccE/xi7dj4hfhJrqH9AVP4Q7iHOzZCPEmiDHDdecPvNYanQ"
    "hXlPeNHkQ+8x3hoBuYi2ICIOFvYvG+ACLuBZFibHN9+Vv7FvREY4Fy4Q0no+T7zy4TV7Hy"
    "F42V+x9EyW1V41J1zkOu6NeeFAncnmTHbU8SYVt3/klb+3Pc2lBGJSVUdmy9zA5tHFR9xO"
    "FfkRASijVJA2vbwmjsWKLmuVQufFSmgTPHURFCLJsPU3sxh3sxX3d6l/xPbk3dke7P172B"
    "2NjBN53kPZmDkpLusqhEXLvuDIa9zsePv2jhXRNaDEPDWGhhO7/Y5HJZaVJpj+d2kRL5dn"
    "aJfDtZIu/bpJrtmVYll+kM8aaR0O2TkyLAn5xkIy/uZUDvWCn772bvzybLNSGrLY/62sQO"
    "bSZceJFLwrISSvJs0xRhNeQLDXlolXYFYkIK5gIwiwXLsRBffqBdbj+fpGQTZhfZ8yrmeu"
    "X5XgnnK5gTwvMbJCeMUgNBkj+hhMIS6iMuvSlranllu9P6u37/Y2xaf9eT5+3bT++6g71D"
    "Vw28EWYZ/ldge/iGW0nwU6QV+iXQF9ZzlT2wQzG1yWl9InnJAK5PUwSuTFWaIynfmDyKtZ"
    "EdHhu3hKoKlRcTbgzCWyb0gs0gytmpcanm2U0bMVUD0ASPlJH2tpqESnRSY/Bb/evu1Tmg"
    "JiJ3xN165JHy/33s3wzPgUG98/vKqqbIEW3ZB7Qljmfzp5IoU1V6HooKq3lIZcyp3CmVMf"
    "etar1Ixlwk+6FoRkJERNUK5peqOXZalpeqqoqnekUG1DP2oontgFg9DbFE+VTNzOb17EdT"
    "MnPOSxjrPmTsYRm9vZ+XP2e7DTUv58ttujKHTqSwPaLRjNJ7gMmIPp0DBMezIIfN7QpQ/m"
    "Htg3tkMgAnDFlgBolucBhFhhmbQQYsxF8GP6AggzWWYLeBZ9yRPV/aQt5+mBNqAR0ubHcz"
    "TGgY9NHm92xEdO/e0ZvXbkaehcZ0SrCN9Cp5bu5LLVfp4AiBre4Ik+3ErjPfqplhluxMNx"
    "euElgH7RuYo3JYKMZymBNjOUyNsRgUpgxncZp7ZmQlEJHNYTxm4B8gTrDfQbRzwBVgxGze"
    "RLxcDo1L1pToQI6X+6tCdYc0tYMGeii765EkHdHo0lRS3ZJoAxW9o65oEQIiboYVDPPEhb"
    "bH+B1uSr9rju38QUel960JZSrhWTO36GU41Li1XWYOi0uqIHWdlyrqsDEtt29CRKTG4aKq"
    "/s66tk0vUYa6SXajp6O5SZnI6v+AUs89lVrs53EcOGyr3aPFBjac/W3JOIqN+X/PowO8vC"
    "N7q/6/2tRlvctNzikcL3iMQ71mpI0kuvLnI8u0cNp2XTlZrnGxBqK9/rMUDZS6q392dGop"
    "oGJTMpR0fM/tSocwnFL4kW+UyrLKLK2zWcq7Mvmv8zKT0orsMlfhFMkG+YBr86qXMI2onr"
    "LQZhPDCcFn0cM1Q3nb7LDKU/omZrOIp1JSzXFJpeZaq1llIqlMpLpmIl10bi46l92XOiW2"
    "gyw8nrVS6Cf/zn4e7QTDNps83agUE/St0EDPtDizCZ4HZNm4XJFtRKSB1MNGiB7xUZVA2G"
    "/eQHQ3kljDn8hSd7zP9p8iIiqxpqTr9KIxla//B7O7wAU="
)
