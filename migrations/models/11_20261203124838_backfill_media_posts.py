from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


# Backfill (MIGRATIONS.md: expand, backfill): every ready media item that no post shows yet
# becomes a free, published, one-photo post with an empty caption, published when the
# media was uploaded, so the feed keeps its order. The post takes the media's id, so
# running this again (or after old code uploaded more during the deploy) adds only what is
# still missing: `ON CONFLICT` and `NOT EXISTS` make it idempotent.
BACKFILL = """
WITH made AS (
    INSERT INTO "posts" ("id", "author_id", "caption", "status", "like_count",
                         "created_at", "updated_at", "published_at")
    SELECT m."id", m."owner_id", '', 'published', 0, m."created_at", m."created_at",
           m."created_at"
    FROM "media" m
    WHERE m."status" = 'ready'
      AND NOT EXISTS (SELECT 1 FROM "post_photos" pp WHERE pp."media_id" = m."id")
    ON CONFLICT ("id") DO NOTHING
    RETURNING "id"
)
INSERT INTO "post_photos" ("post_id", "media_id", "position")
SELECT made."id", made."id", 0 FROM made;"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return BACKFILL


async def downgrade(db: BaseDBAsyncClient) -> str:
    # The posts are data now: a downgrade of the schema (migration 10) drops them.
    return """
        """


MODELS_STATE = (
    "eJztXVtz2ziW/isovSSp8rgS+ZKse3erFFvp1rQjeWW5L9PuYiARsjCmAA4J2tH05L8vAJ"
    "LinSIpUaYYvDgRiQOS38Hl3PFXZ0l1ZNjHN9C2n6mlj5GNWOcC/NUhcIn4f9IbHIEONM3g"
    "trjA4NSQFKbXVLNEW3kPTm1mwZnoeQ4NG/FLOrJnFjYZpkQQ9YBszf/+y0E2+wGwBQK8l0"
    "dkAWzb/BrAzAY2Jg8G+ptjI8DoIyLgecH/YAZsRHRbEqElxMaxeKpOZ/yxnKKuBzgE8840"
    "Rh8Qv2Hxx/zxJ7+MiY6+Itv/aT5qc4wMPQIr1kUH8rrGVqa89hE/DAj7JNuK159qM2o4Sx"
    "K0N1dsQcmaABPJigdEkAUZEk9gliPQJY5hePzwAXdfNmjivmWIRkdz6BiCR4LafYHgWkfT"
    "hqOJdtufaFonwT+fIoS4d2lGieA9f1VbAvAgXuFv/9Xtnpy87749Of9wdvr+/dmHtx94W/"
    "m+yVvvv7kvE6DldiUxG/w4GE7EC1E+wNwBKC58kzSQQZdKMiNAX7JWW0B7keTC5QJa6TyI"
    "UsV4wT8yzgsf+RAzPKgbwosl/KoZiDywBf95fpoD8y+98eVPvfHr89M3UayH3p2uvCVQD1"
    "D2phrSNciSOF9xlBheonSs47QxtHWP+Nj/TwHsExPBvxCgHyxO+4DfQlAfEWPlsT0H/sng"
    "c/920vt8Ix63tO1/GRLB3qQv7nTl1VXs6uvzGKvWnYBfB5OfgPgJ/jEa9iW81GYPlnxi0G"
    "7yj454J+gwqhH6rEE9NEL9qz5qEc6jrybmvVXge5RyB1yPz7gXZvqBMNnHJJfLfEtkFVgc"
    "IlP8bTJ/uRBUZekOkSn+Npy/lpYmiN7dDa4yeeuTxHjrOFg/FoQHuBPnMFVKPScul8L4yy"
    "/99k3I9/PHVBlTQJWE9hO1EH4gP6OVBHjA3wOSGUoB1FO87rxuDhPS4GowlS34vFaIwgOK"
    "fzv/YsRcKbx3e9m76nckwlM4e3yGXKOMQC3u0C6NXVm3Td5adpfxK5DABwmO+Arxzh7qYz"
    "TnjF5MhMTfSVGHI/eP8rRhy22pSeWhoDI8IggYmDwCOgeQa562zW+8soFFGRRtwGzBIf0B"
    "fJnDJTZWHL8vgGGuwUJg0AcsmrqPA75qmtSHa3qGUokPVCVes7nMdhAhqndD2CdHqu8H4e"
    "31xYwMDRveNVsZZlyNrmZjiFIqC0NThNcDszA0jesHwuVCKoq3wVTndmoHiumNZroUQatZ"
    "jSOUyvrQaC6jJy7qVPMNhCkVl5vMZWVjUjYmZWNKtTFJ1FNsSz43sm1K4oOKmZKysdyxoS"
    "Z7Ou9+Jm9WZzv/PXfITJqx5JPEn9P/7TRuah/lGGRkmEkZy8GaoHVGg+5ZEasBb5VpNpD3"
    "onaDBSS6gcoAHFC0DuGTtwUAPnmbia+4FYVXx7ZpwJUmf5cAOU63G6hf2hATtYEVAfs8G+"
    "zzBNgWzRrJfeIsE1JATGfa5ZguAjRXyknJtbjzqTcUXZF7cjnu9yaj8QWQ5jtq3ZPe1ecB"
    "vwv1JSZxP0cRfrw7L8CPd3EpOuCHuBXlxxTTJDsm6GuGJ8NrvkcOvMBWOOn/NoloLT6Arz"
    "/3fnsT0VyuR8Mf/eYhwC+vRx9jQMMnvn1ammOV2imjVDsJ5GvUAnPytthynreeJ9aYdVhv"
    "WY9GgrCFS3r37KyQhHKWI6GcxRH3nLK29gQNrGtwztK0vU3BVul9KKtJk60myqeVPe/a69"
    "NyTL0i16OUiutN4XrKZJdvnzDpZVugUjbgIK8mFizjdfDp5zEyZBBPtskvkc9zYAMiy/YX"
    "czHEY6+qAxaP+GojXnNqGPTZsy1Wh+qT7KbdIIluFEiZIC2RjuF2AH32u2gjPoQyPMczCc"
    "GWs20Y6qqtcDFs2nzbmyH8hNKiREvANcFmq1ES2TUKoQyETMeaLSDXibcUnrxuWgsTXFFn"
    "ewlTdNJaiLgSsC1AvIs2w6MZ+HHrmcb7uebdtBUnrKOlSRkis5X2iFZbojUIevsZrdqEWa"
    "k4jJgdjVqazWDebB0RNKH8z2aEL90Ob/3+DtJEmj8kn6FhoBwRojhYv657aiFM7h6pwdmM"
    "OnkSV3G43A2zF3TYEtRKhkVFplhKeFR8CmaHSSVmf63hUn91gg9cW1K0NTP9IDRBhb6alu"
    "eX8TvyPtJ7mj8yOrIxf2f5Q46/0EP+STFZG3130X9mxFdzojhfNGamnkCv5FiJYpyZAJkk"
    "3JwMuSsh4G1NEHvJkN13p+9PP5ycn65zINdX8lIf/TTHANzIHCnjUokQttCjcrgeFNdxVs"
    "KFkhQeN0VQ+5t2zfHTTVjMdhw9vVVEtGcTT9n0A2t59nbvLoc1bPR/+AFrnkDR+TNv6/el"
    "Dhey3e74/D12069Kwm9kEr6K+8hm0GFGABSJ+4iuGEUF7CiVypSKCX7BUlm8mAVRYF4UST"
    "vztkOVdZYnNwXDKV1sSlkBFKibQI0uek3K5nPDFVJE13UcQ7bkuo6W2J+Bij6TtVgv7GOO"
    "vRZwXSlib9KlyhzctUEp4GeVfKCAeo/5KKZFZ2KkuVFVZRKDbsajy/7t7WD44wUIerkn43"
    "7v6vcLIKTG1T351Btc96/Eo7HhRpC8fJKQeBfHQhp/RZumbKjZGRVJSpXDUiiHhT+Rieqz"
    "EqcSgMfpWpjBcloE7tNstE8TYE9XDGk2/ncK0nkWhQjZ/gzaLbEthPy4WGcpeVqZuK/bV8"
    "K8aWvJjt0ICy6FL8r4ZgICBWcSTmrhB0ygIWJeyqzDcboWrsO17Hs6svATZPgpLR7r77ej"
    "YUYufpQsblXEMwb+AwxcXxhbSBqfOthgmNjH4rEvIZALmCIGxUT+cjxVOSa5iw7i+cvK4J"
    "s9Ldpr8JVKSaXCZwGdSuBtmkc6ssGFzCtFzR1hGmWBzrdAS6yUuXSTuTQ8pMoaS2PB3OaC"
    "MrqDaO4b0U+LIC8XmlzSqBzJ7UqxLcdzv7JNzImEs/2Zmi00wyYW5pM6QiLivYs9cq/2ax"
    "UdsVsLRrZd+5F/fBlt0W/fQi1x99Y6gXop3dBrr5TCnSuFOtIdE5W1jUSp2nY6ZbeQWaSb"
    "YxbpprgDlPb9nWrfFZVvpXsfgO4dlwiL6t9xOqWD5+vga7yUHr5JD48PrSYFLo0cNqVf/0"
    "6nnRQFM7h5lKddUtlsv2olfIJYjovttD3w60/9cR+4US/gf8ArExGdv9erhKa5ld6aeIwb"
    "ifJKKZsNVTYZtB/LiN9++xYqm7XI3tB6KOWL9Ns3Q98Uz2uNvmkhDoadLi5lD/goVfsC0N"
    "51PxSJ+Ot+yA75E/diJX0PMDTT3Q9LDvbOTX945QZluvT35Pbu8rLfvxJhmLYzmyGkI72Z"
    "kZnKLpANfXvtAhGBsiTf47TKQtBkC4GBoI00h7C0A3byGR0jVXxuPp8X1NDTggWyRZs4Xf"
    "uEm1qiDLl4YlXbNqOUalI1eVKZzpRrP4tKfI7TKk4fAKc5rxhammkF9DJtUWmkqjhRPAze"
    "ckgVcONkCtg4sAa0mYYsKy2lOvsYrihVGzb9vNWojuO45phU3RpipGpnaNrOkPAEvoy7qk"
    "+YteqkuKrcG0d5bioD6Q/I0hBvidGeoyDdsqq1hEAu6RNaes5FFfbYOk8UXGZUmM3hQECj"
    "MmgrZ9Bmx5tuNtUfQuxp5+ZO7Pi3/QvgH4xwTyaDG95+OOEzDZvyNAn32rh/2R/8Iiz14r"
    "p/Fsc9uRtejy5/9kgcYtDZo0fl3QkIvbsB7bj/6W54JYo0zB3Cf18Nbm/uJvx1xCHADkPr"
    "K9qvo+H6qvZMyT256f0+uuOPdOsw+7/50yZ346F4mleg2ULMsUhTPAthBqSOrKzYzghZkw"
    "dVk3zMfFwhC3nTs7hfM0TUQqTPi5ylfp59lPp54iR15S7Lhr697rKw1FlKNokRKgGlsoAS"
    "0SmKMyBCpuAvBX9OPKw/rpPMKB0O+znU1YGxomhIbGwViETEjvnaNB5cTjopo30H6BY+l+"
    "RQsY1M8AxkX8Z6sx7YaYUSQ4N+ow3HHz7FrDiioDvgCg55QIDOAVsg4PZzATCzgWcQAraz"
    "BIyCfyOLAkh0MKPLJWbAN/Ecx3WIHXa72ZqkrDONtM58r0YCaQfwlXxft69RpY8p9M1Q50"
    "umaO60apVKzlRaZad1WqW/xpTM3YuRbZG6dzhew+qZe2bo/NotZekSR+E2E9mNwnRsaJUW"
    "pwPYQ37HmLRWoobO2s15YGtWFtxVj/Zk7inV6UAWP3Sx2GHXBzJ0yx61KD4+RRHzMMnWwc"
    "RB4/v1ngeHKeyoRH3MhR49V0CVwW9DGXzlN38hs/SSTxa+4JTRjEIkbYi7i6lHHwqpRx9y"
    "1KMPSj1S6pHPO3VUmDoqrLFgNsst/J0YqHN0fXVWW/Wz2tL9kOqwtoKo5hzWVs0PWcTXXv"
    "Lo5m087QdxfHMxP/vuPLyecz3FrBC43bMtC67nuqBTtwfE2dSvbOBSgddfZL3rL2+OALUA"
    "BPbKZmgJ4GwmlDp+272giff68uYHgL7y7o0VoAQBbAMbsaSHt6ZnKHdvg3fToxyjQoi9Zf"
    "TbGFnbqrOedItkk3ezk8m7icPDoAFTA3dzjw4LiFqTE7ln240yK2QzpL1mBcfUK3I9Sqm4"
    "3hSup6Rxem/fiENqGrWX7dDHrtzAu3MDbzztp6SqV1DbbuLQrH7QTx0q3jrmI0XJC8eDZK"
    "t5fkxFiehdRh8RASb/AP5SYEqdhwUDbGGJ/0jt6nKBZo/UYeDW9dWmR+uW7+ae3JPJAvF3"
    "mzEbGAiKbEIwt+gS3PKuTQSghYDNqMUvix6mrrb32oRYP/ICIfktm/IurCM/5FE/uifoq4"
    "k51fHxMdcUv7jVHb8INVEevOg/hSuIS/DaRog3QYwZUp0/dltrdC5UUd43ehLR0PeEg25g"
    "TooJgIS/icX7AojICyJA2eb88soQF9REI45yoQ0nveRHW6e0K1/5i/rKvQlRsgRslKrJUc"
    "wV9dqzIo7bs2y/7VnCbSvXn7S9P0etDWhUUEJlxdaN7NBmfs5IFP4NASEBWZs4sLNySzPH"
    "EhnTpWLhwzQtXDlOihjEsu1hqm50UDf6pjeQ5Rywfk/6v90MxqK6gyc6xetH+wko/XUKir"
    "h20xtPBr3r69+14K4JLYahYay0oJ2XmnK1zkupVDWiWyTBvpudYN9NJth7Mqlmu6JVyW06"
    "g7xtRuju2VkR4M/OspEX9zKgd6yUWsHZteTidG2IasszfdVRTc6EK9dzSVhWQEmebJpCrI"
    "Z8oSEPrdKqQIRIwVwAZrFhORbi2w+0y1UDSlK2YXWJa17FVK883SuhfPlrQnDWREwJo9RA"
    "kOQvKAFxDPUpp65Lmlpf2e+y/nE0uo4s6x8H8XX77vPH/vj1O8kG3gizDP3Llz08wa0k+C"
    "nUCv0S6AvpuUq97oBMFWRtjicv6cD1zBS+KlPVzJGkb00cxc6MHa41bg1VFVNehLg1CO/Z"
    "oOeXjignp0ap2ic31SKq+qAJO1JG2NtmI1SikwaD3xnd9IcXgJqI3BNZqEQWKLke3U4ugE"
    "HdswbLsqbIcXLZh8kljpLzlpKwpar0OhQmVuuQiphTsVMqYu575XqRiLlQ9EPRiIQQicoV"
    "zE9Vc+y0KC+VVRUN9QoNqC1q0UTqJ1YPQyyRPtUwsXk39WhKRs65AWP9p4wKmOHbR3nxc7"
    "ZsqLkxX7Lpxhg6EcL2jKYLSh8BJlP69QIgOFv4MWyyK0D5xDoCj8hkAM4ZssACEt3gMIoI"
    "M7aADFiIvwx+Qn4EayTAroZn3JPXHrWF3Gqac2oBHa5sWUoTGgZ9tvk9GxHdvXfy9o2MyL"
    "PQjD4QbCO9SpybfKn1Lu0fWbDXijDZSuwu463a6WbJjnSTcJXA2m/fwhiVd4V8LO9yfCzv"
    "Un0sBoUpw1mcPJ/pWfFJ4uIwnjHwH2Bg+xDDrHLAFWBEZN6EvzzuGo9JU6KDuL/c2xWqK6"
    "SpHbRQQzlcjSSpiIa3ppLsjpG2kNEHqooWMUBExbCCbp4o0f4sfu/q4u+OfTv/pNPSdWsC"
    "mkp4NkwtehkbalTaLrOGRSmVk7rJWxV12IyWq5sQImmwu6iqvlNH2fQH+IQ0x6wwlaKUai"
    "o1bSqVSDau04Z1I49h6KTlfrp3jnIzP2WbPVcPzqzue6TyFg87b1Gl0zUynW5zieV2ZtTt"
    "O/RA5d3VnncnLWJeebeSsWapxC3EvJaYswPMeLQQb2z7WYMlos3G/f+74yKhm7To9XFPBk"
    "NtMu4NbweTC4D5F1iQ2JhF8yGT2Y+/9Me3bkdPyLKrZTDu/qAsVRX4hbcKOXrmGdErOd6v"
    "KJlK7Cq0csll3zuurtKWEaFVoBcA3R+oViUrYpJamT+aZv5Q6UzfD39dcaYChyOEisdN5r"
    "EvoFZyXEdIFZ+bzGc/W31G9VKunzhd+/w/tcRf+bBVOIQrhbR9oNdSWMA9k1qrrOWm0+8k"
    "nuA71HVVRlY2Q9obEKUystrG9SIZWepAvPrzstSBV/742feBV7uO2ui5rqhOZvCG3+Bocw"
    "yH79cqfFiTh84rG3AgCZpx9vvnJh0BaPtZQga0RQqQSS3RAAfVub94jY+99fpL2mlN9Txk"
    "i+OampMy2oRC9jsO/2iqe7bt1vatCoFsVwCkmmuWkinla2iFerSj4cdRb+yWpA16EZ5Wd0"
    "F3fa2CJTPpte0Pex+lSxYR8cYN8b/qiHHl3tZsZ7rELL1cSF79tVR6VYGtVAU2GfiohYZF"
    "CfxTqBX6JdAXYRXYcjPeNd1JWbuy0xPTaPefpxiK1pw62GCY2MfieS8RsFlL9qKObTm2Kx"
    "RETSFtn+GylmwBXwSu5ISJkConTHOsJEnjmDKJZs+ywzSOKZPo98j1LJPoVrlBmyow1XPO"
    "XrOU5pqqL21nsxOFJtNMdV4ByhwLHW+x5xwrPiIXa9NnKPzamXIpdaHSrVqRbjWDpl8PLA"
    "p1zkEoAcke7T0vAGstR6AcYBaEbsE5K2tluxr3Pk0ugKS9Jzd3H68Htz/JY5r89aMZdjQD"
    "P4qIJM9FEuVJZnRHlKg1dXZ3d3ycUk5aJqYq5eR75HqReI24PFgqfD9Gq0xOzWF0cn5HFI"
    "KignmESMXl5MfluGAl4VVhOVGdPTKoIlr7Ze/2snfVL1YyWYhxW5ZLFpr7Ne+mRWBHV/cF"
    "ZXQHGN2IftoEUq2hXf6gyjAV+QMu31ykrYf3bm1Gf8jeRb/SuPhnng0pHPgkXmmfxqK88P"
    "yi4fje4tNYI+c+w/FzjEhK3WuZ4F9E3fMndAlhMESiRMGYzaQ5YaUHC2eOZO1vWVvK1b6j"
    "5jAh3ShXh+ZnulQdH7BKVanqXiygqNQtYroyeYaMuRbYNwiZgYJQl5TJ/8WyB/5BwdUl0j"
    "HMFz5lEyVytlLkXA+KBA9ul9AwMrkQpmtTncKT7vvzNQPEjzzIbz/3rq+TXpv1fCkhgoRp"
    "lAwSjxBXErIS6Q5JpHM31e0x/ez301JQw6tek6S6gY6WJmWiGixnVppoF2uRK9/hoK32iF"
    "a1CHm+EsH7zxfmuPyG+dKw1/PalDi3L3HuEZUqeew1V5V3iyV3zvnzkWVaOC3IKad6UJSs"
    "hWifnxYA+/w0E2txKxZOhqCdkouWLfCtCZS4F4eSzh6RrjmEYaOsXyFOqwJLmhxYwrsy+d"
    "chLSs4NqfMVoKyRWd27Swecw3TlOopG21epmyMcKs02YahvO98WOUm/S5Ws5CmUpLNUUrF"
    "5kazWflr6zTuKefiATsXe8jCs0Unxfzk3TnKMzvBoE2duY6lLEHfixloS4kz28Ajynunuu"
    "uyzQ8hkhaaHmox9IhJVQJhr3kL0a2lEDd/IkNpJrRs/SlEsv8CQweuOm1VAWHbzezb/wPq"
    "tf58"
)
