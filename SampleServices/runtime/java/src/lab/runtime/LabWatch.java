package lab.runtime;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Lab-only launcher (part of the image's command in SampleServices/images.json, not of the app or the pod's env):
 * {@code java -cp ... lab.runtime.LabWatch <main class> [args]} runs the real main class unchanged and ends the JVM
 * when the lab that started it is gone (LAB_PID), so a killed lab leaves no service holding its pod address.
 * Checked every second on a daemon thread: the lab's pid no longer exists, or it was this process's parent and the
 * parent changed (a dead lab not yet reaped still has a pid; its children are re-parented at once).
 * {@code ProcessHandle.onExit()} is not used: for a non-child the JDK polls with a sleep growing to 5 s
 * (ProcessHandleImpl.completion), over the lab's 2 s bound. Exit is {@code halt(143)} (as SIGTERM's 128+15): the
 * collectors died with the lab, so shutdown hooks would only wait on dead peers, and the lab's pipes are closed.
 */
public final class LabWatch {
    private LabWatch() {
    }

    public static void main(String[] args) throws Throwable {
        String lab = System.getenv("LAB_PID");
        if (lab != null && !lab.isEmpty()) {
            long pid = Long.parseLong(lab);
            boolean parent = ProcessHandle.current().parent().map(p -> p.pid() == pid).orElse(false);
            Thread watch = new Thread(() -> {
                while (true) {
                    boolean gone = ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)
                        || (parent && ProcessHandle.current().parent().map(p -> p.pid() != pid).orElse(true));
                    if (gone) {
                        Runtime.getRuntime().halt(143);
                    }
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "lab-watch");
            watch.setDaemon(true);
            watch.start();
        }

        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause(); // the app's own failure, as if it had been started directly
        }
    }
}
