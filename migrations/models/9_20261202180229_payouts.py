from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "payouts" (
    "id" UUID NOT NULL PRIMARY KEY,
    "tokens" BIGINT NOT NULL,
    "amount_cents" BIGINT NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "stripe_account_id" VARCHAR(255) NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "movement_id" BIGINT NOT NULL UNIQUE,
    "transfer_id" VARCHAR(255) UNIQUE,
    "stripe_payout_id" VARCHAR(255) UNIQUE,
    "transferred_at" TIMESTAMPTZ,
    "paid_at" TIMESTAMPTZ,
    "failed_at" TIMESTAMPTZ,
    "reversed_at" TIMESTAMPTZ,
    "failure_code" VARCHAR(100),
    "failure_message" VARCHAR(500),
    "return_movement_id" BIGINT UNIQUE,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "creator_id" UUID NOT NULL REFERENCES "users" ("id") ON DELETE RESTRICT
);
CREATE INDEX IF NOT EXISTS "idx_payouts_creator_8b6c35" ON "payouts" ("creator_id", "created_at", "id");
COMMENT ON COLUMN "payouts"."status" IS 'REQUESTED: requested\nIN_TRANSIT: in_transit\nPAID: paid\nFAILED: failed\nREVERSED: reversed';
        CREATE TABLE IF NOT EXISTS "payout_accounts" (
    "stripe_account_id" VARCHAR(255) NOT NULL UNIQUE,
    "state" VARCHAR(16) NOT NULL,
    "details_submitted" BOOL NOT NULL,
    "payouts_enabled" BOOL NOT NULL,
    "requirements_due" JSONB NOT NULL,
    "disabled_reason" VARCHAR(200),
    "reported_at" TIMESTAMPTZ,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "user_id" UUID NOT NULL PRIMARY KEY REFERENCES "users" ("id") ON DELETE RESTRICT
);
COMMENT ON COLUMN "payout_accounts"."state" IS 'ONBOARDING: onboarding\nRESTRICTED: restricted\nENABLED: enabled';
COMMENT ON TABLE "payout_accounts" IS 'A creator''s connected account, as Stripe last reported it through `account.updated`.';
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_amounts_positive" CHECK ("tokens" > 0 AND "amount_cents" > 0);"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "payouts";
        DROP TABLE IF EXISTS "payout_accounts";"""


MODELS_STATE = (
    "eJztXVlz2zi2/isovSSp0rhieUnGfe+tUmylW5NE8shyL9PuoiESstCmAA4J2tH05L9fgI"
    "u4UyQlyhSDl1RM4oDUd0Dg7OevzpJqSLeOrqFlPVNTmyALsc4F+KtD4BLx/6QP6IIONIzg"
    "trjA4Ex3KAxvqGKKsc49OLOYCVUx8xzqFuKXNGSpJjYYpkQQ9YEzmv/7bxtZ7AfAFgjwWR"
    "6RCbBl8WsAMwtYmDzo6G+2hQCjj4iA5wX/BzNgIaJZDhFaQqwfiadqVOWP5RR1PcAmmE+m"
    "MPqA+A2TP+b3P/hlTDT0FVn+n8ajMsdI1yKwYk1M4FxX2Mpwrn3AD0PCPjpjxevPFJXq9p"
    "IE440VW1CyJsDEYcUDIsiEDIknMNMW6BJb1z1++IC7LxsMcd8yRKOhObR1wSNB7b5AcK2j"
    "KKPxVLkZTBWlk+CfTxFC3LukUiJ4z1/VcgB4EK/wt7/3eicn73pvT87fn52+e3f2/u17Pt"
    "Z53+Std9/clwnQcqdyMBv+OBxNxQtRvsDcBSgufHNoIIMulcOMAH2HtcoCWoskFy4X0Ezn"
    "QZQqxgv+I+O88JEPMcODuiG8WMKvio7IA1vwP89Pc2D+uT+5/Kk/eX1++iaK9ci703NuCd"
    "QDlL1PDWkKZEmcrzhKDC9ROtZx2hjamkd85P+nAPaJD8G/EKAfbE77gN9EUBsTfeWxPQf+"
    "6fDL4Gba/3ItHre0rH/rDoL96UDc6TlXV7Grr89jrFpPAn4ZTn8C4k/wr/Fo4MBLLfZgOk"
    "8Mxk3/1RHvBG1GFUKfFaiFVqh/1Uctwnn01cB8tgp8j1LugOvxL+6FmX4gTPYxyeUyPxJZ"
    "BRaHyCR/m8xfLgRV2bpDZJK/DeevqaQJore3w6tM3vokMd7aNtaOBOEBnsQ5THWknhOXS2"
    "H8nV/67ZuQ7+ePqTKmgCoJ7UdqIvxAPqGVA/CQvwckKkoB1FO8br1pDhPS4GrwKZvwea0Q"
    "hRcU/+38FyPmSuH9m8v+1aDjIDyD6uMz5BplBGpxh/Zo7Mp6bPLWsreMX4EEPjjgiF8h3t"
    "lDfYLmnNGLqZD4OynqcOR+N08bNt2RiqM8FFSGxwQBHZNHQOcAcs3TsviNVxYwKYNiDFAX"
    "HNIfwP0cLrG+4vjdA4a5BguBTh+wGOo+DviqaVIfrukZUiU+UJV4zeYyx0GEqN4DYZ8cqX"
    "4ehI/XFzMyNGx512xlULkaXc3GEKWUFoamCK8HZmFoGtcPhMuFVBTvgKnO7dQJJNMbzXRH"
    "BK1mNY5QSutDo7mMnrioU803EKaUXG4yl6WNSdqYpI0p1cbkoJ5iW/K5kW1TEj+omCkpG8"
    "sdG2qyP+fdf8mb1dnO/8xtojpmLOdJ4p/T/+s07tPu5hhknDCTMpaDNUHrjAa9syJWAz4q"
    "02zg3IvaDRaQaDoqA3BA0TqET94WAPjkbSa+4lYUXg1bhg5XivN3CZDjdLuB+qUNMVEbWB"
    "Gwz7PBPk+AbdKslTwg9jIhBcR0pl2u6SJAc6WclNyLOx/7IzEVuSOXk0F/Op5cAMd8R807"
    "0r/6MuR3obbEJO7nKMKP4/MC/DiOS9EBP8StKD9mmCbZMUVfMzwZ3vA9cuAFjsLp4NdpRG"
    "vxAXz9pf/rm4jm8nk8+tEfHgL88vP4Qwxo+MSPT1OxzVInZZRqJ4F8jdpgTt4W287z9vPE"
    "HrMO6y3r0UgQtnBL752dFZJQznIklLM44p5T1lKeoI41Bc5Zmra3KdgqfQ5pNWmy1UT6tL"
    "K/u/b6tGxDq8j1KKXkelO4nvKxO2+fMOllW6BSDuAgryYWLONN8PHTBOlOEE+2yS+Rz3Ng"
    "CyLL9hdzMcRjr6oDFo/4aiNec6rr9NmzLVaH6qMzTbtBEtNIkDJBWiINw+0A+uJP0UZ8CG"
    "V4jlUHgi2/tlFoqrbCxbBh8WNPRfgJpUWJloBrio1WoySyayRCGQgZtqkuINeJtxSevGla"
    "CxNcUXt7CVNM0laIsIaWBmWIqCvlEa22xGoYzPYJrdqEWSkHeswAQk3FYjBvHY4JmlL+z2"
    "aEL90Jb/z5DtK2lb8kn6Guo5y9vzhYv6xnaiFM7uamQFWldt5RWRwud6frBxO2BLWS8SyR"
    "TywlriX+CWbHtyS+/lrjXP7qBD9wrQIra2b60UOCCn01TM+g7k/k/Ujvaf7K6DiD+Ts7fz"
    "jrL/SQPykma2vdLubPDNVpTvjdiwY71BOhk1wrUYwzM9eShJuz2HYlBLytCWIvi613fPru"
    "9P3J+ek6eW19JS9nzc9PC8CNfCNlbOERwhaawg/X9O16PErYvpPC46bQV//QrjnwtQmb2Y"
    "7DXrcKZfWMmSmHfmDmzD7u3e2whoP+dz/SyBMoOn/kHf2+1OFCttsTn7/HbuaV2dONzJ6W"
    "DvtsBh2m67aIwz66YxQVsKNUMsUlJvgFW2XxKgREgnlRJF/IOw5lulCe3BQsp3SxKWUHkK"
    "BuAjW66TUpDcv1M6eIrmsHdLbkunZz789ARZ/JWqwX9jHbWgu4rhSxN+lSpnzt2qAU8LNK"
    "IkdAvcdEAsOkqlhpbjhMmYyO68n4cnBzMxz9eAGCWe7IZNC/+u0CCKlxdUc+9oefB1fi0V"
    "h3Xf8vn90h3sU2kcJf0aIpB2p2KHySUiYfFEo+4E9komyog1MJwON0LUw9OC0C92k22qcJ"
    "sGcrhhQL/ycF6TyLQoRsfwbtltgWQn5crLGUBJtM3NfjK2HetL1kx26EBZfCF2V8MwGBhD"
    "MJJzXxAyZQFzEvZfbhOF0L9+Fazj0NmfgJMvyUFrL2j5vxKCOJOkoWtypilYH/Ah1btW3K"
    "IWl8ZmOdYWIdice+hEAuYIoYFBOJp/Ec05jkLiaIJ55Kg2/2Z9Feg6+jlFSqWBXQyczLpn"
    "mkIwdcyLxS1NwRppEW6HwLtIOVNJduMpeGl1STjKWRZJMUm2k8GSXbdJrIgNmfCdVEKjaw"
    "MAvU4eqPzy72/r3aZaXXf19e/0f+48toQf74Fmo/u7dCCdRL6TzeeKns7FzZ0ZBmG6iszh"
    "+lalu7vF4hdb+Xo+73UszcUqv8TrXKikql1CkPQKeMS4RF9co4ndQt83XLNV5Sv9ykX8aX"
    "VpN0zLHNZvTrP+isk6JgBje7edoldYbtV62ETxA762I7bQ/88tNgMgBuNAf4X/DKQETj7/"
    "UqoWlupbcmHuNGWLySymZDlU0Grccy4rc/voXKZi2yNzQfSvnY/PHN0DfF81qjb3rNv1PF"
    "pewFH6VqX2DVce99kUi23vvsUDZxL1Zj9ABDDt3zsORi71wPRldusKFLf0dubi8vB4MrEV"
    "5o2aqKkIa0ZkYcSrtANvTttQtEBMqSfI/TSgtBky0EOoIWUmzC0jp+5DM6Rir53Hw+L6iu"
    "pTnBs0WbOF37hJtaoue4eGJWOzajlPKjavJHZdgzrv0sKvE5Tis5fQCc5rxiaGmkFYbLtE"
    "WlkcqiO/HwbtMmVcCNk0lg48Dq0GIKMs20VOHsvkBRqjYc+nm7UR39geaYVD0aYqTyZGja"
    "yZDwBL6Mu2pAmLnqpLiq3BvdPDeVjrQHZCqIj8Roz1GQbrnQWkIgl/QJLT3nogx7bJ0nCi"
    "4zKqfmcCCgkZmhlTNDs+NNN5vqDyH2tHN9K078m8EF8Cu135Hp8JqPH035l4YNp7y9e20y"
    "uBwMfxaWenHdbw5wR25Hn8eXnzwSm+hUffSovDsBoXc3oJ0MPt6OrkTxgblN+N9Xw5vr2y"
    "l/HdGV1GZofUX5ZTxaX1WeKbkj1/3fxrf8kW59Yf9v/rTp7WQknuYVHjYRs03SFM9CmAGp"
    "KysrtjNC1uRF1SQfM19XyETe51ncrxkiaiHS50WaO59n93Y+T7R2lu6ybOjb6y4LS52lZJ"
    "MYoRRQKgsoEZ2iOAMiZBL+UvDnxMP66zrJjNLhsF9CUx0YK4qGxMZ2gUhE7ITvTZPh5bST"
    "stp3gG7hfhuHim3kA89A9mWsN+uFnVYAMLToN9pw/OVTzIojCpUDruCQBwToHLAFAu48Fw"
    "AzC3gGIWDZS8Ao+A8yKYBEAypdLjEDvonnKK5D7HDazdYkaZ1ppHXmezUSOHYAX8n3dfsa"
    "VfqYQt8Mdb5kiuZOqzHJ5EypVXZap1X6e0zJ3L0Y2Rape4fjNayeuWeEGmpuKUuX6M3ZTG"
    "Q3CtOxpVVanA5gD/kdY9Jaid6Vazfnge1ZWXBXbVnJ3La56UAWbyZYrPvugSzdsi0ExY9P"
    "UcQ8TLJ1MNH5eL/e86BJwI5Kr8dc6NF6+bK8exvKu0u/+QuZpZf8Y+EbThnNKETShri7mH"
    "r0vpB69D5HPXov1SOpHvm8ky2wZAusxoLZLLfwd2KgztH1ZQ+y6j3I0v2QsglZQVRzmpBV"
    "80MW8bWXbEm8jaf9INoSF/Oz787D6znXU8wKgds927Lgeq4LOnX7QPRcfmUBlwq8vnfqON"
    "+/6QJqAgislcXQEkDV6fvOb7sXFPFe929+AOgrn15fAUoQwBawEEt6eGt6hnT3Nvg07eYY"
    "FULsLaPfxsjaVp31pFckm7yXnUzeSzTFgjpMDdzNbYkVELUmJ3LPthtpVshmSHvNCrahVe"
    "R6lFJyvSlcT0nj9N6+Ec1XGnWW7dDHLt3Au3MDb+xiU1LVK6htN3FpVm9gU4eKt475SFHy"
    "wvEg2WqeH1NRInqX0UdEgMF/AH8pMKP2w4IBtjDFfxzt6nKB1EdqM3Dj+mrTo3XLT3NH7s"
    "h0gfi7qcwCOoIimxDMTboEN3xqAwFoImAxavLLYoaZq+29NiDWul4gJL9lUT6F2fVDHrXu"
    "HUFfDcypjo6OuKZ471Z3vBdqotNQ0H8KVxCX4LWFEB+CGNMddf7IHa3QuVBF+dzoSURD3x"
    "EOuo45KSYAEv4mJp8LIOJcEAHKFueXV4a4oCYacZQLbTjpJe9undIufeUv6iv3PoiSJWCj"
    "VE2OYq6o154VcdyeZfttzxJuW2f/STv7c9TagEYGJVRWbN3IDkX1c0ai8G8ICAnI2sSBnZ"
    "VbUm1TZEyXioUP07Rw5zgpYhDLtofJutFB3ejr/tAp54C1OzL49Xo4EdUdPNEpXj/aT0AZ"
    "rFNQxLXr/mQ67H/+/JsS3DWgyTDU9ZUSjPNSU67WeSmVqkb0iiTY97IT7HvJBHtPJlUsV7"
    "QqeUxnkLfNCN07OysC/NlZNvLiXgb0tplSKzi7llycrg1RbXmmrzqqyRlw5XouCcsKKMmT"
    "TVOI5ZIvtOShWVoViBBJmAvALA4s20T8+IFWuWpASco27C5xzauY6pWneyWUL39PCHpNxJ"
    "QwSnUESf6GEhDHUJ9x6rqkqfWV/W7rH8bjz5Ft/cMwvm/ffvkwmLw+dtjAB2GWoX/5socn"
    "uJUEP4Vaol8CfSE9V6nXHZDJgqzN8eQlHbiemcJXZaqaOZL0rYmj2Jmxw7XGraGqYsqLEL"
    "cG4T0b9PzSEeXk1ChV++SmWkRVHzRhR8oIe9tshEpM0mDwO+PrwegCUAORO+IUKnEKlHwe"
    "30wvgE7dXoNlWVOknVx2M7lEKzlvKwlbqkrvQ2FiuQ/JiDkZOyUj5r5XrheJmAtFPxSNSA"
    "iRyFzB/FQ120qL8pJZVdFQr9CC2qIWTaR+YvUwxBLpUw0Tm3dTj6Zk5JwbMDZ4yqiAGb7d"
    "zYufs5yBihvz5QzdGEMnQtie0WxB6SPAZEa/XgAE1YUfw+ZMBSj/sLrgERkMwDlDJlhAou"
    "kcRhFhxhaQARPxl8FPyI9gjQTY1fCMO/LaozaRW01zTk2gwZXllNKEuk6fLX7PQkRz7528"
    "feNE5JlIpQ8EW0irEufmvNT6lPZbFuy1Iky2ErvLeKt2ulmyI90cuEpg7Y9vYYzKcSEfy3"
    "GOj+U41ceiU5iynEXn+UzPik8SF4exysB/gY6tQwyzygFXgBGReRP+8rhrPCZNiQni/nLv"
    "VKiukKZO0EIN5XA1kqQiGj6aSrI7RtpCRh+oKlrEABEVwwq6eaJE+7P4HdfF3x37dv6ks9"
    "J1awKaSng2TC16GRtqVNous4dFKaWTuslHFbWZSsvVTQiRNNhdVFXfqaNs+gN8QoptVPiU"
    "opTyU2rap1Qi2bhOG9a104ahk5b76d7p5mZ+OmP2XD04s7pvV+YtHnbeokyna2Q63eYSy+"
    "3MqNt36IHMu6s9786xiHnl3UrGmqUStxDzWmLODjDj0UR8sOVnDZaINpsM/nnLRUI3adGb"
    "444MR8p00h/dDKcXAPNfYEJiYRbNh0xmP/48mNy4Ez0h06qWwbj7RlmyKvALHxXO6plnRK"
    "/keL+iZDKxq9DO5Wz7Xru6SkdGhFaCXgB0f6GalayISWpp/mia+UOmM30//HXFmQocjhBK"
    "HjeZx76AWslxHSGVfG4yn/1sdZVqpVw/cbr2+X9qib/yYavQhCuFtH2g11JYwO1JrVTWct"
    "PpdxJP8B3qujIjK5sh7Q2IkhlZbeN6kYws2RCv/rws2fDKXz/7bni166iNvuuK6mQGb/gD"
    "uptjOHy/VuFmTR46ryzAgSRI5ez3+yZ1AbT8LCEdWiIFyKCmGICD6tz33uAjb7++T+vWVM"
    "9DtmjX1JyU0SYUst9x+EdT3bNtt7ZvVQhkuwIg1VyzlMwo30Mr1KMdjz6M+xO3JG0wi/C0"
    "uhu662sVLFEdr+1g1P/guGQREW/cEP+rhhhX7i3FsmdLzNLLheTVX0ullxXYSlVgcwIfld"
    "CyKIF/CrVEvwT6IqwCm27Gu6LZKXtXdnpiGu3+8xRD0ZozG+sME+tIPO8lAjZryV7UsOWs"
    "7QoFUVNI22e4rCVbwBeBKzlhIqTSCdMcK0nSOCZNotlf2WEax6RJ9HvkepZJdKvcoE0VmO"
    "rps9cspbmm6ktb2eyGGloalIlo/U9o1Ukx2sVGdPOsdjgYqzyiVQ0pWL+v1w+fv/NHXkaW"
    "W8fb2ms9HdkkfbcO12yz3CMqlZLiDZeZEQUbR/DnI9MwveVZOLojStZCtM+LNF46z268dJ"
    "5ovKQjr5VpUdP9mkD6FONQUvWRC5Q2YTilkVK+NBqnlbpmc8TPtMBOy+C/zq30nZbClRMG"
    "laBsUU2VnVWpWcM0o1rKQZtnyYwRbmXGbBjK+7ZXSpPKd7GbhTSVkmyOUko2N5rNzQnTaC"
    "5TZWXvl7EtXfZvLvtXg5cKHesjE6uLTor5ybvTzTM7wWBMnfV+SlmCvhcz0JYSZ7aBR6Rf"
    "4XI+2hBJC00PtRh6xEdVAmFveAvRrSVRij+RoTQTWrb+FCKRhapLqk5beai2Pcy+/T8OsY"
    "HQ"
)
