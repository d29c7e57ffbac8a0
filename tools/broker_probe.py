"""`python -m tools.broker_probe URL`: is there an AMQP broker at URL?

Exit 0 when it answers and lets us in; 1 when nothing answers there (one line says why,
without the password); 3 when a broker answers but refuses us (wrong credentials or vhost),
which is a mistake to fix rather than a run to skip. `make test-rabbitmq` asks it first."""

from __future__ import annotations

import sys

from amqp.exceptions import AMQPError
from kombu import Connection
from kombu.exceptions import OperationalError

TIMEOUT_SECONDS = 3


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tools.broker_probe amqp://user:password@host:port/vhost")
        return 2
    with Connection(argv[0], connect_timeout=TIMEOUT_SECONDS) as connection:
        where = connection.as_uri()  # the password masked
        try:
            connection.ensure_connection(max_retries=1, interval_start=0, timeout=TIMEOUT_SECONDS)
        except (OSError, OperationalError) as error:
            cause = error.__cause__ or error.__context__ or error
            if isinstance(cause, AMQPError):
                print(f"RabbitMQ at {where} refused the connection: {cause}")
                return 3
            print(f"no RabbitMQ answers at {where} ({type(error).__name__}: {error})")
            return 1
        except AMQPError as error:
            print(f"RabbitMQ at {where} refused the connection: {error}")
            return 3
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
