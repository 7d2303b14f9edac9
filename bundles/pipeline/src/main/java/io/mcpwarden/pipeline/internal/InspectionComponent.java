package io.mcpwarden.pipeline.internal;

import io.mcpwarden.capture.PacketSource;
import io.mcpwarden.events.EventSink;
import io.mcpwarden.pipeline.InspectOptions;
import io.mcpwarden.pipeline.InspectionService;
import io.mcpwarden.pipeline.InspectionSummary;
import io.mcpwarden.pipeline.RunControl;
import org.osgi.service.component.annotations.Component;

/** The pipeline as an OSGi service: each call runs an independent {@link Pipeline}. */
@Component(service = InspectionService.class)
public final class InspectionComponent implements InspectionService {

    @Override
    public InspectionSummary inspect(PacketSource source, EventSink sink, InspectOptions options, RunControl control) {
        return new Pipeline(sink, options == null ? InspectOptions.DEFAULTS : options)
                .run(source, control == null ? RunControl.NONE : control);
    }
}
