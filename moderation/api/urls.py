from rest_framework.routers import SimpleRouter

from .views import ModerationTestimonialViewSet

router = SimpleRouter()
router.register("testimonials", ModerationTestimonialViewSet, basename="moderation-testimonial")

urlpatterns = router.urls
