from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from moderation.api.token_admin import api_token_view
from moderation.dashboard_views import dashboard_urls
from moderation.digest_views import digest_link_view
from moderation.invitations.views import invitation_opt_out_view
from moderation.views import testimonial_renew_view, testimonial_withdraw_view
from reviews.embed import embed_js
from reviews.feeds import testimonials_atom
from reviews.views import testimonial_new, testimonial_thanks

from .health import healthz

# A database error outside a view is a 503 with the patient's input kept, not a bare 500.
handler500 = "config.outage.server_error"

urlpatterns = [
    path("admin/", include(dashboard_urls())),  # the moderation dashboard, an admin page
    path("admin/api-token/", admin.site.admin_view(api_token_view), name="admin-api-token"),
    path("admin/go/<str:token>/", admin.site.admin_view(digest_link_view), name="admin-digest-link"),
    path("admin/", admin.site.urls),
    path("api/v1/moderation/", include("moderation.api.urls")),  # staff only, never cached
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
    path("testimonials/invitations/opt-out/<str:token>/", invitation_opt_out_view, name="invitation-opt-out"),
    prefix_default_language=False,
)

handler404 = "config.errors.page_not_found"
