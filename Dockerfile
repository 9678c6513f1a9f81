# One image per app: docker compose build (or docker build --build-arg APP=workers --build-arg MAIN=io.roster.workers.Workers .)
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
ARG APP
# install, not package: the copy below resolves the sibling modules from the local repository (-Dexec.skip: the
# OpenAPI lint needs npm, which this image has not; CI runs it)
RUN mvn -B -q -DskipTests -Dexec.skip -pl ${APP} -am install \
 && mvn -B -q -pl ${APP} dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=/app/lib \
 && cp ${APP}/target/${APP}-*.jar /app/app.jar

FROM eclipse-temurin:17-jre
ARG MAIN
ENV MAIN_CLASS=${MAIN}
COPY --from=build /app /app
USER 65534
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -cp '/app/app.jar:/app/lib/*' $MAIN_CLASS"]
