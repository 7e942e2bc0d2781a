package io.tidegate.admin;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jboss.logging.Logger;

/**
 * Defence in depth for web.xml's security constraints: WildFly enforces them only when the
 * deployment's security domain is mapped to Elytron (Undertow {@code application-security-domain});
 * on a server without that mapping the pages would be served to anyone. This filter refuses every
 * non-public request that carries no user with a Tidegate role, and says in the log what to fix.
 */
@WebFilter(urlPatterns = "/*")
public class RequireSignInFilter extends HttpFilter {

    static final String VIEWER = "tidegate-viewer";
    static final String OPERATOR = "tidegate-operator";
    static final String ADMIN = "tidegate-admin";
    private static final Logger LOG = Logger.getLogger(RequireSignInFilter.class);
    private static final long serialVersionUID = 1L;

    private final AtomicBoolean warned = new AtomicBoolean();

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (isPublic(request.getServletPath()) || hasTidegateRole(request)) {
            chain.doFilter(request, response);
            return;
        }
        if (request.getUserPrincipal() == null && warned.compareAndSet(false, true)) {
            LOG.errorf("The Tidegate admin app refused an unauthenticated request: WildFly did not apply the "
                    + "app's security constraints. Map the security domain 'other' to Elytron: "
                    + "/subsystem=undertow/application-security-domain=other:add(security-domain=ApplicationDomain)");
        }
        response.sendError(HttpServletResponse.SC_FORBIDDEN,
                "Sign-in with a Tidegate role (tidegate-viewer, tidegate-operator or tidegate-admin) is required");
    }

    static boolean isPublic(String servletPath) {
        return servletPath.equals("/login.html") || servletPath.equals("/login-failed.html")
                || servletPath.equals("/expired.html") || servletPath.equals("/forbidden.html")
                || servletPath.startsWith("/css/");
    }

    private static boolean hasTidegateRole(HttpServletRequest request) {
        return request.getUserPrincipal() != null && (request.isUserInRole(VIEWER)
                || request.isUserInRole(OPERATOR) || request.isUserInRole(ADMIN));
    }
}
