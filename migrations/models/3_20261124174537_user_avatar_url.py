from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "users" ADD "avatar_url" VARCHAR(300);"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "users" DROP COLUMN "avatar_url";"""


MODELS_STATE = (
    "eJztXGtzozgW/SsUX7a7KpNKHOexPVNb5U6cbs907C7Hme2dzRYjg2yrjIUHiSTenvz3kQ"
    "QYEI8G2g/M8MVlS7pCnCOke48u/qouLAOa5PgzIOTZso0hJJCq75SvKgYLyL4kNzhSVLBc"
    "BtW8gIKxKSyWXlPN5m1FHRgTagOd9zwBJoGsyIBEt9GSIgtzo44iWrPPPxxI6I8KnUGF9T"
    "KHtoIIYWUKokQhCE9N+INDoEKtOcTK84x9IKoQiA0ijOACIPOYX9WwdHZZZrGtCzgYsc40"
    "ak0hq7DZZf77P1aMsAFfIPF/LufaBEHTiMCKDN6BKNfoainK3qNpD9Nb0ZYPf6zplukscN"
    "B+uaIzC68NEBZUTCGGNqCQX4HaDkcXO6bp8eED7g42aOKOMmRjwAlwTM4Rt3YHEJSpmtYf"
    "jLT77kjT1Bh/vkUIca9ItzDnng2VCACmfAg//LPVOju7bJ2cXVydty8vz69OrlhbMd541e"
    "WrO5gALbcrgVnvQ68/4gOy2ARzJyAveBU2gALXSpARoC+o1WaAzOIsXM+AncxB1Erigt2k"
    "zIWPfIgMD+qKcLEAL5oJ8ZTO2M+LdgbMv3aG1x87wzcX7bdRrPteTUtUcdQDlL1HDRoaoH"
    "GcbxhKFC1gMtayrYS24Rkf+19yYB97EPyCAP1gcdoF/DYExgCbK4/2DPhHvbvu/ahz95lf"
    "bkHIH6ZAsDPq8pqWKF1JpW8uJKrWnSj/7o0+Kvyn8tug3xXwWoRObXHFoN3oN5WPCTjU0r"
    "D1rAEjNEP9Uh+1CPPwZYlYbyV4j1pugHX5idsz6QdCso9JJstsS6QlKA6ZNfxWmV/mBJVZ"
    "ukNmDb8V59fWkhzRh4feTSq3vonEreMg45gbHuBOnEGq8HrOXJbC+Is7fX3l/v1knuhjcq"
    "ji0N5aNkRT/AtcCYB7bBwA6zABUC/wevC6OUxIg9LgUbbB8zogCk8odu/sjiF1vfDO/XXn"
    "pqsKhMdAnz8DFlFGoOY1VsuSStZt41WL1kIuARhMBTj8LviYPdSHcMKIno24x68mhMOR+q"
    "OsaNh2W2oieMgZDA8wVEyE54o1UQCLPAlhFf8gim1RwNso+oxB+qPy+wQskLli+P2uUMQi"
    "WKCY1hTxpu7lFD80jcfDW7pGExIfaEi8prnIdhAx2u6GsEtGyu8H4e11byJDxab3llUGnY"
    "XR5TSGqGWjMFTFeT0whaFqrB8Iy7lCFG+DKc92YgcN6ZUmXbig5VTjiGWjPlSaZfjEXJ1y"
    "ZwNhy4blKrPcaEyNxtRoTIkak0A9QVvy2UjXlPgN5ZOS0rHcsFCT/jhv/kn+djir/jRxsC"
    "5kLHEl/tH+l1q5R/soQ5ARaSZFlIO1Qe1Eg9Z5HtWAtUqVDURdVDeYAWyYsAjAgUXtED47"
    "yQHw2UkqvrwqCq+ByNIEK038LgCybLcZqPctxEQ1sDxgX6SDfRED27bSZnIXO4uYFyDFTJ"
    "uc03mAZkE5LrgWq7edPu8KP+LrYbczGgzfKUK+s+xH3Lm567FaYCwQls858vBxepGDj1PZ"
    "iw744FVRPsbIitMxgi8pJxle8x0ysIetcNT9MopELT6Ab+46X95GIpdPg/4Hv3kI8OtPg/"
    "cS0OCJbZ+25tiFdsqo1UYS+Sq1wJyd5FvOs9bz2BqzTusteqIRM6zhkt46P8/loZxneCjn"
    "MuLeoSzRnoCJDA1MaFK0961kq+Q+GtWkyqpJc6aV/tzV90zLWRolWY9aNqxXhfWEh12MPi"
    "bppStQCRtw8F6NlCzjdXD7yxCaIoknXfKLvc9zYBMiTfuTjhjk3KvygMkZX3XEawENBL4P"
    "pju/izrigy2KJkgXEHzndOqHuqoTXNsUzN25laCYryddumS+ntpblcy/qsGtqNYzXp87EA"
    "qoI0YUctC4MXxZ2p6L7vfn3Zx3UX/eqKIxG7r48dqI83sV5wM+y0hugfUOJZ+lbel8pjGs"
    "ikGtfh4Orrv3973+h3dK0MsjHnY7N/95p3DXbPWIbzu9T90bfmlkQqMaOhwfi2ND5jEB4q"
    "6zeUWLuGUjE+WSidgVKX/BS+BUAHDZroYiUTsP3O10tNsxsMcrCjWC/p+AdFbmfMTs2wn0"
    "hwD0DnPoA/ifkUETpNBU3NftS2FetbXEhbx12r5sX51dtNdIr0uyAI6DOYNoOktQPlLRDA"
    "waOONwWjaaIgxMbQ5XRdZh2a6G6/BW9j0D2uiJhXNPMMEt/Pl+0E857o6aydId0qnyp2Ii"
    "srVFOeSNjx1kUoTJMb/sPhxyDlP2EaF8Gih57rwD+Yiw0dLTH4vDVFXzaOkiKCmVWxzYNW"
    "dk1ZHN4wyH5ZW8ckfYpsktzs4tFljFwW2Si6PJxeEpVaXs4ojAnKCZygJ0unQaU713J6Ha"
    "UEdLxGUBF2D2+T2iKV8+Mnrna/9Oddnm7fbNRubpeu2c3XyRKMhvX8PoZ/MqFEe9UMzjtW"
    "+CnY0HOwY0nCUsGvNHrer2x4atXOF+KyPcbyXI3E1U+TeNKksGlU1MeQAxpewR5o0rZbsm"
    "tsyOLdd4NfHlt+JLeWpVKcYcOHRsvfxsjdWEADOoPMqKLi3RbLdh5X6zcZqob1dRHwVkXs"
    "QP9tvXMOrbihMM7Gmhwy6/fTUCP3692gR+3v+lJ/ot6RM+alW/DKfT1lWelLLWVXpOGa+T"
    "Xss6wNw/iI0yiX/d/o2b9efaP+LPD+8/9e4/8jy/pTNmT9AMGo/4/uH6utu94aXE0XUIDV"
    "5axYTAJmxPh76+Yft6qpbgXbZtAvgqB/AeW4wrChfLpJekUl3vJNPd5UaebNcR31hame3g"
    "MuDKZg2wMrAmYH4YtG0r4cw9/Z8jolZ1cOB2/Q8SE4TLbg2SabMzVG1nKPCa7TZlsg60kT"
    "5TEzQyr+YoSyADQZvK/Nvb30W/+s7VPV2ZeoI2QcXeSAqZ1FGf2sYfqPCHqgDCXvMaonua"
    "S/07zVD/TlPf9CoiAIZMdq8B7mej3Jjat9fN7PUvXkvSeA=="
)
