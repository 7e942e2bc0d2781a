package io.tidegate.control.jmx;

import java.lang.management.ManagementFactory;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.tidegate.control.ServerManagement;
import io.tidegate.engine.Engine;
import io.tidegate.engine.ServerStateChange;
import io.tidegate.engine.ServerStateListener;
import io.tidegate.engine.status.BackendStatus;
import io.tidegate.engine.status.EngineStatus;
import io.tidegate.engine.status.FrontendStatus;
import io.tidegate.engine.status.ServerStatus;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Keeps an MBean per frontend, backend and server of the running configuration in the platform
 * MBeanServer (which WildFly serves to JConsole): on every engine start it registers the MBeans of
 * new proxies and servers and removes those of proxies and servers that are gone, so a JConsole
 * session keeps its MBeans (and notification subscriptions) across reloads. Server MBeans emit an
 * {@code AttributeChangeNotification} for every change the engine reports. Everything is
 * unregistered when the deployment stops.
 */
@ApplicationScoped
public class ProxyMBeans {

    private static final Logger LOG = Logger.getLogger(ProxyMBeans.class);

    private ServerManagement management;
    private MBeanServer mbeans;
    private final Object lock = new Object();
    /** Registered names; for servers the emitter of their notifications (null for frontends and backends). Guarded by lock. */
    private final Map<ObjectName, ServerChangeEmitter> registered = new LinkedHashMap<>();
    /** Server MBeans' emitters by name, read by engine listeners on any thread. */
    private final Map<ObjectName, ServerChangeEmitter> emitters = new ConcurrentHashMap<>();
    private final Map<Engine, ServerStateListener> listening = new IdentityHashMap<>();
    private final ExecutorService notifier = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tidegate-jmx-notifications");
        t.setDaemon(true);
        return t;
    });

    /** For CDI. */
    protected ProxyMBeans() {
    }

    @Inject
    public ProxyMBeans(ServerManagement management) {
        this(management, ManagementFactory.getPlatformMBeanServer());
    }

    ProxyMBeans(ServerManagement management, MBeanServer mbeans) {
        this.management = management;
        this.mbeans = mbeans;
    }

    /**
     * Registers the MBeans of the engine's proxies and servers, removes stale ones (after a seamless
     * reload: those of removed proxies and servers go), and relays its server changes. Called by
     * {@link io.tidegate.control.EngineFollowers} after the saved state was applied, so restoring it
     * sends no notifications.
     */
    public void publish(Engine engine) {
        synchronized (lock) {
            EngineStatus status = engine.status();
            Map<ObjectName, Object> wanted = new LinkedHashMap<>();
            for (FrontendStatus f : status.frontends()) {
                wanted.put(MBeanNames.frontend(f.name()), new FrontendControl(management, f.name()));
            }
            for (BackendStatus b : status.backends()) {
                wanted.put(MBeanNames.backend(b.name()), new BackendControl(management, b.name()));
                for (ServerStatus s : b.servers()) {
                    wanted.put(MBeanNames.server(b.name(), s.name()), new ServerControl(management, b.name(), s.name()));
                }
            }
            for (ObjectName stale : registered.keySet().toArray(ObjectName[]::new)) {
                if (!wanted.containsKey(stale)) unregister(stale);
            }
            for (Map.Entry<ObjectName, Object> e : wanted.entrySet()) {
                if (!registered.containsKey(e.getKey())) register(e.getKey(), e.getValue());
            }
            if (!listening.containsKey(engine)) {      // a reload publishes the same engine again
                ServerStateListener relay = this::relay;
                engine.addServerStateListener(relay);
                listening.put(engine, relay);
            }
        }
    }

    /** Stops relaying an engine's changes (it is about to close). The MBeans stay for the next engine. */
    public void stopListening(Engine engine) {
        synchronized (lock) {
            ServerStateListener l = listening.remove(engine);
            if (l != null) engine.removeServerStateListener(l);
        }
    }

    /** Removes every Tidegate MBean this bean registered (deployment stop). */
    @PreDestroy
    public void unregisterAll() {
        synchronized (lock) {
            listening.forEach((engine, l) -> engine.removeServerStateListener(l));
            listening.clear();
            for (ObjectName name : registered.keySet().toArray(ObjectName[]::new)) unregister(name);
        }
        notifier.shutdownNow();
    }

    private void relay(ServerStateChange change) {
        ServerChangeEmitter emitter = emitters.get(MBeanNames.server(change.backend(), change.server()));
        if (emitter != null) emitter.send(change);
    }

    private void register(ObjectName name, Object control) {
        ServerChangeEmitter emitter = null;
        Object mbean;
        if (control instanceof ServerControl s) {
            emitter = new ServerChangeEmitter(name, notifier);
            mbean = new DescribedMXBean<>(s, ServerMXBean.class, emitter);
        } else if (control instanceof BackendControl b) {
            mbean = new DescribedMXBean<>(b, BackendMXBean.class);
        } else {
            mbean = new DescribedMXBean<>((FrontendControl) control, FrontendMXBean.class);
        }
        try {
            if (mbeans.isRegistered(name)) mbeans.unregisterMBean(name);   // left by a deployment that failed to clean up
            mbeans.registerMBean(mbean, name);
            registered.put(name, emitter);
            if (emitter != null) emitters.put(name, emitter);
        } catch (JMException e) {
            LOG.errorf(e, "Cannot register MBean %s", name);
        }
    }

    private void unregister(ObjectName name) {
        registered.remove(name);
        emitters.remove(name);
        try {
            if (mbeans.isRegistered(name)) mbeans.unregisterMBean(name);
        } catch (JMException e) {
            LOG.warnf(e, "Cannot unregister MBean %s", name);
        }
    }
}
