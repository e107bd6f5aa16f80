import Foundation
import Hummingbird

/// Pages anyone may read without signing in: the accessibility statement the
/// law requires, the easy-to-read description (with MOPS's sign-language
/// recording when configured), and the stylesheet.
struct InformationRoutes: Sendable {
    let pages: Pages
    let stylesheet: ByteBuffer

    var collection: RouteCollection<PortalRequestContext> {
        let routes = RouteCollection(context: PortalRequestContext.self)
        routes.get("deklaracja-dostepnosci") { _, context in
            pages.render("accessibility-statement", title: "Deklaracja dostępności", context: context, path: "/deklaracja-dostepnosci")
        }
        routes.get("tekst-latwy-do-czytania") { _, context in
            pages.render("easy-read", title: "Platforma w tekście łatwym do czytania", context: context, path: "/tekst-latwy-do-czytania")
        }
        routes.get("static/portal.css") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/css; charset=utf-8"
            headers[.cacheControl] = "public, max-age=3600"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: stylesheet))
        }
        return routes
    }
}
