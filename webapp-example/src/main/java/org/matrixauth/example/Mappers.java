package org.matrixauth.example;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The example's Jackson mappers, whose buffers are pooled in Jackson's shared pool instead of
 * Jackson's default, a thread-local: in the war, that would leave a buffer recycler (a class of the
 * war's Jackson) on each of the container's request threads, which outlive an undeployed war, and
 * keep its class loader softly reachable, so in memory until the heap runs short.
 */
final class Mappers {
    private Mappers() {}

    static ObjectMapper json() {
        return new ObjectMapper(JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build());
    }

    static ObjectMapper yaml() {
        return new ObjectMapper(YAMLFactory.builder().recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build());
    }
}
