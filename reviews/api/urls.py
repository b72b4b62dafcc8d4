from django.conf import settings
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from .views import LocationViewSet, StatsView, TagViewSet, TestimonialViewSet, TherapistViewSet

router = DefaultRouter()
router.register("testimonials", TestimonialViewSet, basename="testimonial")
router.register("locations", LocationViewSet, basename="location")
router.register("therapists", TherapistViewSet, basename="therapist")
router.register("tags", TagViewSet, basename="tag")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("stats/", StatsView.as_view(), name="stats"),
    path("", include(router.urls)),
]

if settings.BENCH_CEILING:  # bench/feed.py's baseline; never on in production
    from .ceiling import ceiling_view

    urlpatterns.insert(0, path("bench-ceiling/<int:size>/", ceiling_view))
