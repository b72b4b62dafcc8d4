"""The Spanish form at /es/: every word a patient sees is Spanish, errors included."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from reviews.models import Testimonial

from .conftest import screenshot_path

pytestmark = [pytest.mark.browser]

# Everything a patient reads or hears: text, accessible names, the script's messages and options.
VISIBLE_WORDS = """() => {
  const words = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (parent.closest('script, .hp')) continue;
    const text = node.textContent.trim();
    if (text) words.push(text);
  }
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], optgroup, [data-sending]')) {
    for (const name of ['aria-label', 'title', 'placeholder', 'label', 'data-sending']) {
      if (el.getAttribute(name)) words.push(el.getAttribute(name));
    }
  }
  for (const name of ['data-left-one', 'data-left-other', 'data-short-one', 'data-short-other',
                      'data-over-one', 'data-over-other']) {
    words.push(document.getElementById('counter_body').getAttribute(name));
  }
  words.push(document.title);
  return words;
}"""


def page_words(page) -> set[str]:
    return set(page.evaluate(VISIBLE_WORDS))


def test_the_spanish_form_is_spanish_throughout(live_server, phone, clinics):
    page, _ = phone
    # the English page, empty and with every error, gives the strings to look for
    english = set()
    page.goto(live_server.url + "/testimonials/new/")
    english |= page_words(page)
    with page.expect_navigation():
        page.locator("button.submit").tap()
    english |= page_words(page)

    # when a patient opens the Spanish form
    page.goto(live_server.url + "/es/testimonials/new/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page).to_have_title(re.compile("^Comparta su experiencia"))
    expect(page.locator("h1")).to_have_text("Comparta su experiencia")
    expect(page.get_by_role("combobox", name="Clínica", exact=True)).to_have_value("")
    expect(page.get_by_role("combobox", name="Terapeuta", exact=True)).to_have_value("")
    expect(page.locator("#id_location option").first).to_have_text("Elija su clínica")
    expect(page.get_by_role("group", name="Su calificación")).to_be_visible()
    expect(page.get_by_role("textbox", name="Su testimonio", exact=True)).to_be_visible()
    expect(page.locator("#hint_body")).to_have_text("¿Cómo fue su experiencia? Mínimo 20 caracteres, máximo 2000.")
    expect(page.locator("#counter_body")).to_have_text("Escriba 20 caracteres más")
    expect(page.get_by_role("button", name="Enviar mi testimonio")).to_be_visible()
    expect(page.locator("#consent_text")).to_contain_text("Autorizo a Twin Boro Physical Therapy")
    spanish_empty = page_words(page)
    page.screenshot(path=screenshot_path("form-empty-phone-es.png"), full_page=True)

    # the stars are named in Spanish, for screen readers
    for n in range(1, 6):
        name = "1 estrella" if n == 1 else f"{n} estrellas"
        expect(page.get_by_role("radio", name=name, exact=True)).to_have_attribute("value", str(n))
    page.locator("label[for=id_rating_3]").tap()
    expect(page.get_by_role("radio", name="4 estrellas", exact=True)).to_be_checked()
    # the counter speaks Spanish
    page.get_by_role("textbox", name="Su testimonio", exact=True).fill("Muy buena atención")
    expect(page.locator("#counter_body")).to_have_text("Escriba 2 caracteres más")
    page.get_by_role("textbox", name="Su testimonio", exact=True).press_sequentially("!")
    expect(page.locator("#counter_body")).to_have_text("Escriba 1 carácter más")
    page.get_by_role("textbox", name="Su testimonio", exact=True).press_sequentially("!")
    expect(page.locator("#counter_body")).to_have_text("Quedan 1980 caracteres")

    # when it is sent with problems, the errors are Spanish too
    page.get_by_role("textbox", name="Su testimonio", exact=True).fill("Bien")
    with page.expect_navigation():
        page.get_by_role("button", name="Enviar mi testimonio").tap()
    summary = page.locator("#error-summary")
    expect(summary.locator("h2")).to_have_text(re.compile(r"^Por favor, corrija \d+ problemas:$"))
    expect(page.locator("#err_location")).to_contain_text("Elija la clínica donde recibió tratamiento.")
    expect(page.locator("#err_body")).to_contain_text("Escriba al menos 20 caracteres (escribió 4).")
    expect(page.locator("#err_first_name")).to_contain_text("Escriba su nombre.")
    expect(page.locator("#err_email")).to_contain_text("Escriba su correo electrónico")
    expect(page.locator("#err_consent")).to_contain_text("marque la casilla")
    expect(page).to_have_title(re.compile("^Error: Comparta su experiencia"))
    page.screenshot(path=screenshot_path("form-errors-phone-es.png"), full_page=True)
    spanish = spanish_empty | page_words(page)

    # and no English sentence is left anywhere (names, numbers and marks are the same in both)
    same_in_both = {"Dayton", "Edison", "Brianna Kowalski", "Sean Walsh", "Maria Lopez", "Twin Boro Physical Therapy",
                    "★", "*", "Error:", "Error: "}
    leftovers = {w for w in spanish & english if not re.fullmatch(r"[\d\s.,:*★]*", w)} - same_in_both
    assert leftovers == set()
    assert not any(re.search(r"\b(Please|Choose|characters?|stars?|your|the)\b", w) for w in spanish), \
        sorted(w for w in spanish if re.search(r"\b(Please|Choose|characters?|stars?|your|the)\b", w))

    # when corrected, the testimonial is stored with the Spanish authorization
    page.get_by_role("combobox", name="Clínica", exact=True).select_option("edison")
    page.get_by_role("textbox", name="Su testimonio", exact=True).fill(
        "Después de seis semanas puedo caminar sin dolor. ¡Gracias, Sean!")
    page.get_by_role("textbox", name="Nombre", exact=True).fill("Lucía")
    page.get_by_role("textbox", name="Apellido", exact=True).fill("Hernández")
    page.get_by_role("textbox", name="Correo electrónico", exact=True).fill("lucia@example.com")
    page.locator("label[for=id_consent]").tap()
    with page.expect_navigation():
        page.get_by_role("button", name="Enviar mi testimonio").tap()
    assert page.url == f"{live_server.url}/es/testimonials/thanks/"
    expect(page.locator("h1")).to_have_text("¡Gracias!")
    page.screenshot(path=screenshot_path("thanks-phone-es.png"), full_page=True)
    testimonial = Testimonial.objects.get()
    assert testimonial.locale == "es" and testimonial.consent_text.startswith("Autorizo")
    assert (testimonial.first_name, testimonial.rating) == ("Lucía", 4)
