"""How our tasks retry: acknowledged late, retried with backoff, so a lost worker or a broker restart loses nothing."""

RETRIED = {
    "acks_late": True,
    "autoretry_for": (Exception,),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,  # six deliveries: the sixth finds a claimed run given up after jobs.MAX_ATTEMPTS, with why
}
