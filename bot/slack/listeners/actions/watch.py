""""Notify me when delisted" and a watch's Stop button.

The watch button sits on a listed result in a channel: the watch follows that IP for the clicker
and posts in the result's thread (bot/slack/watches.py). What the click started, or why not, goes
to the clicker alone. Stop ends a watch wherever its button is shown (the list ``/spamhaus
watches`` posts, App Home) and refreshes that view.
"""

from __future__ import annotations

import asyncio

from slack_bolt.async_app import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient

from bot.i18n import t
from bot.render.blocks import code, escape, notice_message
from bot.render.home import watches_message, when
from bot.slack import replies
from bot.slack.deps import Deps, Listener
from bot.slack.listeners.events.app_home_opened import publish
from bot.slack.response_url import ResponseUrl
from bot.slack.watches import WATCH_TIMEOUT, start_watch
from bot.state.base import StoreError


def watch_listener(deps: Deps) -> Listener:
    async def watch(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient) -> None:
        await ack()
        with deps.in_flight.track():
            respond = ResponseUrl(body.get("response_url"), session=client.session, redactor=deps.redactor)
            user = (body.get("user") or {}).get("id")
            lang = await deps.locales.lang_for(client, user)
            message = body.get("message") or {}
            channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
            thread_ts = message.get("thread_ts") or message.get("ts") or (body.get("container") or {}).get("message_ts")
            ip = str(action.get("value") or "")
            try:
                if not (user and channel and thread_ts and ip):
                    raise ValueError("the click names no user, channel, message or IP")
                outcome, started = await start_watch(deps, ip=ip, channel=channel, thread_ts=thread_ts, user=user,
                                                     lang=lang)
            except Exception:
                await replies.apologise(respond, lang, replies.log_failure("watch", channel=channel, user=user))
                return
            shown = code(escape(ip))
            if started is not None:
                text = t(lang, "slack.watch.started", ip=shown, next=when(started.next_at),
                         days=f"{deps.watch_days:g}")
            else:
                text = t(lang, f"slack.watch.{outcome}", ip=shown)
            await replies.quietly(respond(response_type="ephemeral", replace_original=False, **notice_message(text)))

    return watch


def stop_listener(deps: Deps) -> Listener:
    async def stop_watch(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient) -> None:
        await ack()
        with deps.in_flight.track():
            user = (body.get("user") or {}).get("id")
            lang = await deps.locales.lang_for(client, user)
            respond = ResponseUrl(body.get("response_url"), session=client.session, redactor=deps.redactor)
            store = deps.store
            try:
                if store is None:
                    raise StoreError("no state store")
                watch = await asyncio.wait_for(store.get_watch(str(action.get("value") or "")), WATCH_TIMEOUT)
                if watch is not None:
                    await asyncio.wait_for(store.remove_watch(watch.id), WATCH_TIMEOUT)
                if (body.get("view") or {}).get("type") == "home":  # App Home: show it again without the watch
                    if user:
                        await publish(deps, client, user_id=user)
                    return
                remaining = await asyncio.wait_for(store.watches(watch.channel if watch else None), WATCH_TIMEOUT)
            except (StoreError, TimeoutError):
                await replies.quietly(respond(response_type="ephemeral", replace_original=False,
                                              **notice_message(t(lang, "slack.watch.unavailable"))))
                return
            notice = (t(lang, "slack.watch.stopped", ip=code(escape(watch.ip))) if watch
                      else t(lang, "slack.watch.gone"))
            listing = watches_message(remaining, lang)
            await replies.quietly(respond(response_type="ephemeral", replace_original=True, text=notice,
                                          blocks=notice_message(notice)["blocks"] + listing["blocks"]))

    return stop_watch
