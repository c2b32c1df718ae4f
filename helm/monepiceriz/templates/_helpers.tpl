{{/*
Name of the chart (overridable with nameOverride).
*/}}
{{- define "monepiceriz.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified app name, truncated to 63 chars (DNS label limit).
If the release name already contains the chart name, it is not repeated.
*/}}
{{- define "monepiceriz.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart name and version, for the helm.sh/chart label.
*/}}
{{- define "monepiceriz.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Standard labels of every resource.
*/}}
{{- define "monepiceriz.labels" -}}
helm.sh/chart: {{ include "monepiceriz.chart" . }}
{{ include "monepiceriz.selectorLabels" . }}
app.kubernetes.io/version: {{ include "monepiceriz.imageTag" . | quote }}
app.kubernetes.io/component: backend
app.kubernetes.io/part-of: monepiceriz
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Selector labels: stable across upgrades (a Deployment's selector is immutable).
*/}}
{{- define "monepiceriz.selectorLabels" -}}
app.kubernetes.io/name: {{ include "monepiceriz.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Name of the ServiceAccount used by the pods.
*/}}
{{- define "monepiceriz.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "monepiceriz.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Image tag: image.tag, else the chart's appVersion.
*/}}
{{- define "monepiceriz.imageTag" -}}
{{- .Values.image.tag | default .Chart.AppVersion | toString }}
{{- end }}

{{/*
Full image reference.
*/}}
{{- define "monepiceriz.image" -}}
{{- printf "%s:%s" .Values.image.repository (include "monepiceriz.imageTag" .) }}
{{- end }}

{{/*
Name of the PVC holding the product images.
*/}}
{{- define "monepiceriz.storageClaimName" -}}
{{- .Values.storage.persistence.existingClaim | default (printf "%s-images" (include "monepiceriz.fullname" .)) }}
{{- end }}

{{/*
Cross-field checks that values.schema.json cannot express.
*/}}
{{- define "monepiceriz.validate" -}}
{{- if and .Values.hpa.enabled (gt (int .Values.hpa.minReplicas) (int .Values.hpa.maxReplicas)) }}
{{- fail (printf "hpa.minReplicas (%d) must not be greater than hpa.maxReplicas (%d)" (int .Values.hpa.minReplicas) (int .Values.hpa.maxReplicas)) }}
{{- end }}
{{- if .Values.pdb.enabled }}
{{- $replicas := ternary .Values.hpa.minReplicas .Values.replicaCount .Values.hpa.enabled }}
{{- if and (not (kindIs "string" .Values.pdb.minAvailable)) (ge (int .Values.pdb.minAvailable) (int $replicas)) }}
{{- fail (printf "pdb.minAvailable (%d) must be lower than the replica count (%d), or no node could ever be drained; disable the PDB or add replicas" (int .Values.pdb.minAvailable) (int $replicas)) }}
{{- end }}
{{- end }}
{{- if not .Values.existingSecret }}
{{- fail "existingSecret must name the Secret holding POSTGRES_PASSWORD, ADMIN_JWT_SECRET, ... (the chart never creates it)" }}
{{- end }}
{{- $minGrace := add (int .Values.gracefulShutdown.preStopSleepSeconds) 5 }}
{{- if lt (int .Values.gracefulShutdown.terminationGracePeriodSeconds) (int $minGrace) }}
{{- fail (printf "gracefulShutdown.terminationGracePeriodSeconds (%d) must be at least preStopSleepSeconds + 5 (%d)" (int .Values.gracefulShutdown.terminationGracePeriodSeconds) (int $minGrace)) }}
{{- end }}
{{- end }}
