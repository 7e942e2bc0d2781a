package io.tidegate.admin;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.tidegate.control.audit.AccessRefused;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;

/**
 * Runs a page action: a refusal by the management service (missing role, already audited there)
 * answers 403; any other failure becomes a message on the page.
 */
final class Actions {

    private Actions() {
    }

    /** A change; {@code done} is shown when it succeeded. Returns true on success. */
    static boolean run(Runnable change, String done) {
        FacesContext faces = FacesContext.getCurrentInstance();
        try {
            change.run();
            if (done != null) {
                faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO, done, null));
            }
            return true;
        } catch (AccessRefused refused) {
            forbid(faces, refused.getMessage());
            return false;
        } catch (RuntimeException e) {
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, e.getMessage(), null));
            return false;
        }
    }

    static void forbid(FacesContext faces, String message) {
        try {
            faces.getExternalContext().responseSendError(403, message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        faces.responseComplete();
    }

    static void error(String message) {
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, message, null));
    }
}
