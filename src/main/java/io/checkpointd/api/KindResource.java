package io.checkpointd.api;

import io.checkpointd.kind.JobKinds;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

@Path("/kinds")
@Produces(MediaType.APPLICATION_JSON)
public class KindResource {

  private final JobKinds kinds;

  KindResource(JobKinds kinds) {
    this.kinds = kinds;
  }

  @GET
  public List<KindView> list() {
    return kinds.all().stream().map(k -> new KindView(k.name(), k.description(), k.parameters())).toList();
  }
}
