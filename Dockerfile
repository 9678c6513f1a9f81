# One image per app: docker compose build (or docker build --build-arg APP=workers --build-arg MAIN=io.roster.workers.Workers .)
# Base images pinned to exact releases; pin their digests too where a registry is at hand.
FROM maven:3.9.11-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
ARG APP
# One reactor run: the app and the modules it needs (-am) packaged, and each module's runtime classpath copied to
# its target/dependency (the siblings as the jars just built, nothing from a local repository). -Dexec.skip: the
# OpenAPI lint needs npm, which this image has not; CI runs it. DockerfileIT runs this line as written.
RUN mvn -B -q -DskipTests -Dexec.skip -pl ${APP} -am package dependency:copy-dependencies -DincludeScope=runtime \
 && mkdir -p /app && cp -r ${APP}/target/dependency /app/lib && cp ${APP}/target/${APP}-*.jar /app/app.jar

FROM eclipse-temurin:17.0.16_8-jre
ARG MAIN
ENV MAIN_CLASS=${MAIN}
COPY --from=build /app /app
# the status topology's state volume mounts here; a named volume takes the folder's owner, the image's user
RUN mkdir -p /var/lib/roster && chown 65534:65534 /var/lib/roster
USER 65534
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -cp '/app/app.jar:/app/lib/*' $MAIN_CLASS"]
