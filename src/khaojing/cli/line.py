"""`khaojing line setup`: the webhook URL to register with LINE, and (optionally) the rich menu."""

from __future__ import annotations

from pathlib import Path

import typer

from khaojing.cli.common import console, err_console, fail, load_settings
from khaojing.settings import Settings

app = typer.Typer(help="The LINE official account (Messaging API channel).", no_args_is_help=True)


def run_setup(settings: Settings, *, rich_menu: bool = False, save_image: Path | None = None) -> str | None:
    """Print what to register; with rich_menu, create the menu, upload its image, make it the default."""
    from khaojing.channels.line.client import LineClient, LineError
    from khaojing.channels.line.config import line_config
    from khaojing.channels.line.richmenu import menu_definition, menu_image

    cfg = line_config(settings)
    console.print(f"Webhook URL (LINE Developers console > Messaging API > Webhook settings):\n  {cfg.webhook_url}")
    if not cfg.webhook_url.startswith("https://"):
        err_console.print("[yellow]note:[/] LINE accepts only an https webhook URL; set KHAOJING_BASE_URL to the "
                          "public https address of this server.")
    missing = [name for name, value in (("KHAOJING_LINE_CHANNEL_SECRET", cfg.channel_secret),
                                        ("KHAOJING_LINE_CHANNEL_ACCESS_TOKEN", cfg.channel_access_token)) if not value]
    if missing:
        err_console.print(f"[yellow]not set:[/] {', '.join(missing)} (from the LINE Developers console)")
    image = menu_image() if rich_menu or save_image else None
    if save_image and image:
        save_image.write_bytes(image)
        console.print(f"rich menu image written to {save_image}")
    if not rich_menu:
        return None
    if missing:
        fail("the rich menu needs the channel access token: set KHAOJING_LINE_CHANNEL_ACCESS_TOKEN")
    client = LineClient(cfg)
    try:
        menu_id = client.create_rich_menu(menu_definition())
        client.upload_rich_menu_image(menu_id, image or b"", "image/png")
        client.set_default_rich_menu(menu_id)
    except LineError as exc:
        fail(f"LINE refused the rich menu: {exc}")
    console.print(f"rich menu {menu_id} created, image uploaded, set as the default for every user")
    return menu_id


@app.command()
def setup(rich_menu: bool = typer.Option(False, "--rich-menu", help="Create the rich menu and make it the default"),
          save_image: Path | None = typer.Option(None, "--save-image", help="Also write the menu image (PNG) here"),
          ) -> None:
    """Print the webhook URL to register; with --rich-menu, create the rich menu through the Messaging API."""
    run_setup(load_settings(), rich_menu=rich_menu, save_image=save_image)
