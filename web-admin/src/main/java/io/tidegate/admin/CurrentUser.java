package io.tidegate.admin;

import java.io.IOException;
import java.io.Serializable;
import java.util.EnumSet;
import java.util.Set;

import io.tidegate.control.audit.Actor;
import io.tidegate.control.audit.Role;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Named;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;

/** The signed-in user as the container authenticated it: name, Tidegate roles, the {@link Actor} of their changes, sign-out. */
@Named
@RequestScoped
public class CurrentUser implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The actor of the current request's user (roles as the container granted them). */
    public static Actor actor() {
        ExternalContext ctx = FacesContext.getCurrentInstance().getExternalContext();
        return actor((HttpServletRequest) ctx.getRequest());
    }

    static Actor actor(HttpServletRequest request) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (Role r : Role.values()) {
            if (request.isUserInRole(r.roleName())) {
                roles.add(r);
            }
        }
        String name = request.getUserPrincipal() == null ? "anonymous" : request.getUserPrincipal().getName();
        return Actor.user(name, roles);
    }

    public String getName() {
        return actor().name();
    }

    /** The strongest role held ({@code tidegate-operator}). */
    public String getRole() {
        Role r = actor().strongestRole();
        return r == null ? "none" : r.roleName();
    }

    public boolean isOperator() {
        return actor().may(Role.OPERATOR);
    }

    public boolean isAdmin() {
        return actor().may(Role.ADMIN);
    }

    /** Ends the session and signs out; the next page asks for sign-in again. */
    public void signOut() throws IOException, ServletException {
        FacesContext faces = FacesContext.getCurrentInstance();
        ExternalContext ctx = faces.getExternalContext();
        ((HttpServletRequest) ctx.getRequest()).logout();
        ctx.invalidateSession();
        ctx.redirect(ctx.getRequestContextPath() + "/");
        faces.responseComplete();
    }
}
