"""Running pyHanko's coroutines from synchronous code.

pyHanko's synchronous helpers call ``asyncio.run``, which fails in a thread that already runs an
event loop (an ASGI server, or a test harness such as Playwright's). Our code calls the async
functions and runs them here: directly when no loop runs, in a short-lived thread otherwise."""

import asyncio
import concurrent.futures


def run(coroutine):
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
