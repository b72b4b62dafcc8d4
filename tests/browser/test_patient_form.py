"""The patient form in a real browser: phone, keyboard, errors, the script's helpers, no JavaScript."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from reviews.models import Testimonial

from .conftest import PHONE, screenshot_path

pytestmark = [pytest.mark.browser]

FORM = "/testimonials/new/"
STORY = "My ankle gave way on every stair. After eight weeks with Brianna I walk to work again!"


def fill_patient(page, *, body: str = STORY) -> None:
    page.fill("#id_body", body)
    page.fill("#id_condition", "ankle sprain")
    page.fill("#id_first_name", "Dana")
    page.fill("#id_last_name", "Zimmerman")
    page.fill("#id_email", "Dana@Example.com")


def test_a_patient_sends_a_testimonial_from_a_phone(live_server, phone, clinics):
    page, _ = phone
    # given the empty form on a phone
    page.goto(live_server.url + FORM)
    expect(page).to_have_title(re.compile("Share your experience"))
    page.screenshot(path=screenshot_path("form-empty-phone.png"), full_page=True)
    # when the patient fills it in with taps and sends it
    page.select_option("#id_location", "dayton")
    page.select_option("#id_therapist", "brianna-kowalski")
    page.locator("label[for=id_rating_4]").tap()
    fill_patient(page)
    page.locator("label[for=id_display_as_1]").tap()
    page.locator("label[for=id_consent]").tap()
    page.locator("button.submit").tap()
    # then they land on the thanks page
    page.wait_for_url(f"{live_server.url}/testimonials/thanks/")
    expect(page.locator("h1")).to_have_text("Thank you!")
    page.screenshot(path=screenshot_path("thanks-phone.png"), full_page=True)
    # and the testimonial waits for analysis, as they typed it
    testimonial = Testimonial.objects.get()
    assert testimonial.status == "pending"
    assert (testimonial.location.slug, testimonial.therapist.slug, testimonial.rating) == \
        ("dayton", "brianna-kowalski", 5)
    assert testimonial.body == STORY and testimonial.condition == "ankle sprain"
    assert (testimonial.first_name, testimonial.last_name, testimonial.email) == \
        ("Dana", "Zimmerman", "dana@example.com")
    assert testimonial.display_as == "anonymous" and testimonial.locale == "en"


def test_errors_are_shown_beside_the_fields_and_summarised_with_the_input_kept(live_server, phone, clinics):
    page, _ = phone
    page.goto(live_server.url + FORM)
    # when the patient sends a too-short testimonial without ticking the consent box
    page.select_option("#id_location", "dayton")
    page.select_option("#id_therapist", "sean-walsh")
    page.locator("label[for=id_rating_3]").tap()
    fill_patient(page, body="Great care!")
    with page.expect_navigation():
        page.locator("button.submit").tap()
    # then the summary at the top lists both problems, takes the focus and links to each field
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.locator("h2")).to_have_text("Please correct 2 problems:")
    expect(summary.locator("a[href='#id_body']")).to_contain_text("at least 20 characters (you wrote 11)")
    expect(summary.locator("a[href='#id_consent']")).to_contain_text("tick the box")
    expect(page).to_have_title(re.compile("^Error: "))
    # and each message sits right above its field, which says it is invalid and points at the message
    for field, message in (("body", "at least 20 characters"), ("consent", "tick the box")):
        error, control = page.locator(f"#err_{field}"), page.locator(f"#id_{field}")
        expect(error).to_be_visible()
        expect(error).to_contain_text(message)
        expect(control).to_have_attribute("aria-invalid", "true")
        expect(control).to_have_attribute("aria-describedby", re.compile(rf"\berr_{field}\b"))
        error_box, control_box = error.bounding_box(), control.bounding_box()
        assert 0 <= control_box["y"] - (error_box["y"] + error_box["height"]) < 40, (field, error_box, control_box)
    # and everything else is kept
    expect(page.locator("#id_location")).to_have_value("dayton")
    expect(page.locator("#id_therapist")).to_have_value("sean-walsh")
    expect(page.locator("#id_rating_3")).to_be_checked()
    expect(page.locator("#id_body")).to_have_value("Great care!")
    expect(page.locator("#id_condition")).to_have_value("ankle sprain")
    expect(page.locator("#id_first_name")).to_have_value("Dana")
    expect(page.locator("#id_last_name")).to_have_value("Zimmerman")
    expect(page.locator("#id_email")).to_have_value("Dana@Example.com")
    expect(page.locator("#id_display_as_0")).to_be_checked()
    # fields without a problem are not marked
    expect(page.locator("#id_first_name")).not_to_have_attribute("aria-invalid", "true")
    page.screenshot(path=screenshot_path("form-errors-phone.png"), full_page=True)
    assert Testimonial.objects.count() == 0

    # when the patient follows the summary's link, the focus lands in the field
    summary.locator("a[href='#id_consent']").tap()
    expect(page.locator("#id_consent")).to_be_focused()
    # and once corrected the form goes through
    page.locator("label[for=id_consent]").tap()
    page.fill("#id_body", STORY)
    page.locator("button.submit").tap()
    page.wait_for_url(f"{live_server.url}/testimonials/thanks/")
    assert Testimonial.objects.get().rating == 4


def test_a_patient_can_send_the_form_with_the_keyboard_alone(live_server, desktop, clinics):
    page, _ = desktop
    page.goto(live_server.url + FORM)
    order = []

    def tab() -> str:
        page.keyboard.press("Tab")
        focused = page.evaluate("""(e => e.id || (e.tagName === 'A' ? 'link:' + e.textContent.trim() : e.className))
                                   (document.activeElement)""")
        order.append(focused)
        return focused

    assert tab() == "link:Skip to main content"
    assert tab() == "link:Español"
    assert tab() == "id_location"
    page.keyboard.press("ArrowDown")  # Dayton
    assert tab() == "id_therapist"
    page.keyboard.press("ArrowDown")  # the first of Dayton's therapists
    assert tab() == "id_rating_0"
    page.keyboard.press("Space")  # 1 star
    for _ in range(3):
        page.keyboard.press("ArrowRight")  # … 4 stars
    expect(page.locator("#id_rating_3")).to_be_checked()
    page.locator("fieldset.rating").screenshot(path=screenshot_path("rating-keyboard-focus-desktop.png"))
    assert tab() == "id_body"
    page.keyboard.type(STORY)
    assert tab() == "id_condition"
    page.keyboard.type("ankle")
    assert tab() == "id_first_name"
    page.keyboard.type("Dana")
    assert tab() == "id_last_name"
    page.keyboard.type("Zimmerman")
    assert tab() == "id_email"
    page.keyboard.type("dana@example.com")
    assert tab() == "id_display_as_0"  # the chosen option of the group
    assert tab() == "consent_text"  # the scrollable authorization text
    assert tab() == "id_consent"
    page.keyboard.press("Space")
    assert tab() == "submit"  # the honeypot is skipped
    page.screenshot(path=screenshot_path("form-filled-by-keyboard-desktop.png"), full_page=True)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/testimonials/thanks/")
    testimonial = Testimonial.objects.get()
    assert (testimonial.location.slug, testimonial.therapist.slug, testimonial.rating) == \
        ("dayton", "brianna-kowalski", 4)
    assert testimonial.first_name == "Dana" and testimonial.condition == "ankle"


def test_the_therapist_list_follows_the_clinic(live_server, desktop, clinics):
    page, _ = desktop
    page.goto(live_server.url + FORM)
    therapist = page.locator("#id_therapist")

    def choices() -> list[str]:
        return therapist.locator("option").evaluate_all("options => options.map(o => o.value)")

    # before a clinic is chosen, every clinic's therapists are offered, grouped by clinic
    expect(therapist.locator("optgroup")).to_have_count(2)
    # choosing a clinic narrows the list to its therapists
    page.select_option("#id_location", "dayton")
    assert choices() == ["", "brianna-kowalski", "sean-walsh"]
    page.select_option("#id_therapist", "sean-walsh")
    # a therapist who works at the next clinic too stays chosen
    page.select_option("#id_location", "edison")
    assert choices() == ["", "maria-lopez", "sean-walsh"]
    expect(therapist).to_have_value("sean-walsh")
    # one who does not goes back to "Not sure"
    page.select_option("#id_location", "dayton")
    page.select_option("#id_therapist", "brianna-kowalski")
    page.select_option("#id_location", "edison")
    expect(therapist).to_have_value("")
    # and with no clinic chosen again, the full list is back
    page.select_option("#id_location", "")
    expect(therapist.locator("optgroup")).to_have_count(2)
    assert sorted(set(choices())) == ["", "brianna-kowalski", "maria-lopez", "sean-walsh"]


def test_the_counter_says_how_many_characters_are_needed_then_left(live_server, desktop, clinics):
    page, _ = desktop
    page.goto(live_server.url + FORM)
    counter, body = page.locator("#counter_body"), page.locator("#id_body")
    expect(counter).to_have_text("20 more characters needed")
    body.fill("Great care")
    expect(counter).to_have_text("10 more characters needed")
    body.press_sequentially(", thanks")
    expect(counter).to_have_text("2 more characters needed")
    body.press_sequentially(" ")
    expect(counter).to_have_text("2 more characters needed")  # spaces at the ends do not count (as on the server)
    body.press("Backspace")
    body.press_sequentially("!")
    expect(counter).to_have_text("1 more character needed")
    body.press_sequentially("!")
    expect(counter).to_have_text("1980 characters left")
    # an emoji counts as one character, as on the server
    body.press_sequentially("\U0001F64F")
    expect(counter).to_have_text("1979 characters left")
    # the screen-reader announcement follows after a pause in typing
    expect(page.locator("#counter_body_live")).to_have_text("1979 characters left")
    body.fill("x" * 1999)
    expect(counter).to_have_text("1 character left")
    body.press_sequentially("y")
    expect(counter).to_have_text("0 characters left")
    # typing on goes over the limit and says by how much, without cutting a character
    body.press_sequentially("z")
    expect(counter).to_have_text("Your text is 2,001 characters; the limit is 2,000. Please shorten it by 1.")
    assert len(body.input_value()) == 2001


def test_a_link_with_clinic_and_therapist_prefills_the_form(live_server, phone, clinics):
    page, _ = phone
    page.goto(live_server.url + FORM + "?location=edison&therapist=sean-walsh")
    expect(page.locator("#id_location")).to_have_value("edison")
    expect(page.locator("#id_therapist")).to_have_value("sean-walsh")
    options = page.locator("#id_therapist option").evaluate_all("o => o.map(x => x.value)")
    assert options == ["", "maria-lopez", "sean-walsh"]
    # the language switch keeps the preselection
    page.get_by_role("link", name="Español").tap()
    page.wait_for_url(re.compile(r"/es/testimonials/new/\?location=edison&therapist=sean-walsh$"))
    expect(page.locator("#id_location")).to_have_value("edison")
    expect(page.locator("#id_therapist")).to_have_value("sean-walsh")


def test_the_form_works_without_javascript(live_server, open_page, clinics):
    page, _ = open_page(java_script_enabled=False, **PHONE)
    page.goto(live_server.url + FORM)
    # every clinic's therapists, grouped, and the errors still come back beside the fields
    page.select_option("#id_location", "edison")
    page.select_option("#id_therapist", "maria-lopez")
    with page.expect_navigation():
        page.locator("button.submit").tap()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#err_rating")).to_contain_text("Choose a rating")
    expect(page.locator("#id_therapist")).to_have_value("maria-lopez")
    page.locator("label[for=id_rating_2]").tap()
    fill_patient(page)
    page.locator("label[for=id_consent]").tap()
    with page.expect_navigation():
        page.locator("button.submit").tap()
    page.wait_for_url(f"{live_server.url}/testimonials/thanks/")
    # without the script the authorization on screen could not name the condition just typed: the
    # testimonial is stored under the text that was shown, and the condition is kept private
    testimonial = Testimonial.objects.get()
    assert testimonial.therapist.slug == "maria-lopez"
    assert testimonial.condition and testimonial.condition not in testimonial.consent_text
    assert testimonial.public_condition == ""


def test_every_control_has_a_label_and_a_touch_target_of_at_least_44px(live_server, phone, clinics):
    page, _ = phone
    page.goto(live_server.url + FORM)
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('#testimonial-form input, select, textarea')]
        .filter(el => el.type !== 'hidden' && el.labels.length === 0).map(el => el.name)""")
    assert unlabelled == []
    # a radio or checkbox counts with its label (tapping either works)
    targets = ["#id_location", "#id_therapist", "#id_body", "#id_condition", "#id_first_name", "#id_last_name",
               "#id_email", "button.submit", "header.site a"] + [f"label[for=id_rating_{n}]" for n in range(5)] + \
              ["label[for=id_display_as_0]", "label[for=id_display_as_1]", "label[for=id_consent]"]
    small = {}
    for selector in targets:
        box = page.locator(selector).bounding_box()
        if box["height"] < 44 or (box["width"] < 44):
            small[selector] = box
    assert small == {}
    # nothing sticks out sideways on a narrow phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def _luminance(rgb: tuple[int, ...]) -> float:
    channels = [c / 255 for c in rgb[:3]]
    channels = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def test_text_has_enough_contrast(live_server, phone, clinics):
    page, _ = phone
    page.goto(live_server.url + FORM)
    with page.expect_navigation():
        page.locator("button.submit").tap()  # bring the error styles in
    pairs = page.evaluate("""() => {
        const rgb = s => s.match(/[\\d.]+/g).map(Number);
        const background = el => { for (; el; el = el.parentElement) {
            const c = rgb(getComputedStyle(el).backgroundColor);
            if (c.length < 4 || c[3] > 0) return c; } return [255, 255, 255]; };
        const shown = 'h1, h2, p, label, legend, a, button, li, option, select, input, textarea, .num';
        return [...document.querySelectorAll(shown)]
            .filter(el => el.offsetParent !== null && el.closest('.hp, .sr') === null)
            .map(el => [el.tagName + '.' + el.className, rgb(getComputedStyle(el).color), background(el)]); }""")
    low = []
    for name, fg, bg in pairs:
        lighter, darker = sorted((_luminance(fg), _luminance(bg)), reverse=True)
        ratio = (lighter + 0.05) / (darker + 0.05)
        if ratio < 4.5:
            low.append((name, fg, bg, round(ratio, 2)))
    assert low == []
