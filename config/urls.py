from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from moderation.views import testimonial_renew_view, testimonial_withdraw_view
from reviews.embed import embed_js
from reviews.feeds import testimonials_atom
from reviews.views import testimonial_new, testimonial_thanks

from .health import healthz

# A database error outside a view is a 503 with the patient's input kept, not a bare 500.
handler500 = "config.outage.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("reviews.api.urls")),
    path("healthz", healthz, name="healthz"),
    path("feeds/testimonials.atom", testimonials_atom, name="testimonials-atom"),
    path("embed.js", embed_js, name="embed-js"),
]

# The patient's pages: English at /testimonials/…, Spanish at /es/testimonials/….
urlpatterns += i18n_patterns(
    path("testimonials/new/", testimonial_new, name="testimonial-new"),
    path("testimonials/thanks/", testimonial_thanks, name="testimonial-thanks"),
    path("testimonials/withdraw/<str:token>/", testimonial_withdraw_view, name="testimonial-withdraw"),
    path("testimonials/renew/<str:token>/", testimonial_renew_view, name="testimonial-renew"),
    prefix_default_language=False,
)
