"""How the schema describes API-token authentication, so clients and Swagger UI send ``Bearer <key>``."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "socialgov.api.authentication.ApiTokenAuthentication"
    name = "apiToken"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "An API token issued by an administrator in the admin site: `Authorization: Bearer sgk_…`. "
                "Each endpoint needs one scope; see its description."
            ),
        }
