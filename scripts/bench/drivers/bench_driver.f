C     megrad benchmark driver around MadGraph's own SMATRIX (standalone output).
C
C     Usage (run from SubProcesses/P*, so that SETPARA finds Cards/ident_card.dat):
C       bench_driver POINTS_FILE NCOMB SECONDS
C     POINTS_FILE: first line "NPTS NEXT", then NPTS*NEXT lines "E PX PY PZ".
C     Prints "ME k value" for every point (full helicity sum), "GOODHEL n" (helicities
C     non-zero at some point), then one "RESULT" line per timing mode:
C       filtered: MadGraph's steady state (after its first 20 calls SMATRIX skips the
C                 helicities that were zero so far), as in production;
C       fullsum:  HELRESET before every call, so every point is evaluated as the first
C                 call is (all NCOMB helicities); a diagnostic, since megrad skips the
C                 helicities it proves zero, which are the ones the filter drops.
      PROGRAM BENCH_DRIVER
      IMPLICIT NONE
      INCLUDE 'nexternal.inc'
      INTEGER MAXPTS
      PARAMETER (MAXPTS=1024)
      REAL*8 PTS(0:3,NEXTERNAL,MAXPTS), ANS, SECS
      INTEGER NPTS, NEXT, K, I, NCOMB, IHEL, NGOOD
      CHARACTER*512 ARG
      LOGICAL ANYNZ
      INTEGER USERHEL
      COMMON/HELUSERCHOICE/USERHEL
      LOGICAL HELRESET
      COMMON/HELRESET/HELRESET

      CALL GET_COMMAND_ARGUMENT(2, ARG)
      READ (ARG,*) NCOMB
      CALL GET_COMMAND_ARGUMENT(3, ARG)
      READ (ARG,*) SECS
      CALL GET_COMMAND_ARGUMENT(1, ARG)
      OPEN (UNIT=21, FILE=ARG, STATUS='OLD')
      READ (21,*) NPTS, NEXT
      IF (NEXT.NE.NEXTERNAL .OR. NPTS.GT.MAXPTS .OR. NPTS.LT.1) THEN
        WRITE (*,*) 'bench_driver: bad points file header', NPTS, NEXT
        STOP 1
      ENDIF
      DO K=1,NPTS
        DO I=1,NEXTERNAL
          READ (21,*) PTS(0,I,K), PTS(1,I,K), PTS(2,I,K), PTS(3,I,K)
        ENDDO
      ENDDO
      CLOSE (21)

      CALL SETPARA('../../Cards/param_card.dat')

      DO K=1,NPTS
        HELRESET = .TRUE.
        CALL SMATRIX(PTS(0,1,K), ANS)
        WRITE (*,'(A,I5,1X,ES25.17)') 'ME ', K, ANS
      ENDDO

      NGOOD = 0
      DO IHEL=1,NCOMB
        ANYNZ = .FALSE.
        DO K=1,NPTS
          USERHEL = IHEL
          CALL SMATRIX(PTS(0,1,K), ANS)
          IF (ANS.NE.0D0) ANYNZ = .TRUE.
        ENDDO
        IF (ANYNZ) NGOOD = NGOOD + 1
      ENDDO
      USERHEL = -1
      WRITE (*,'(A,I6,I6)') 'GOODHEL ', NGOOD, NCOMB

      HELRESET = .TRUE.
      CALL TIMEIT('filtered', .FALSE., PTS, NPTS, SECS)
      CALL TIMEIT('fullsum ', .TRUE., PTS, NPTS, SECS)
      END

C     Times SMATRIX over the points (cycling): calibrates a call count that takes about
C     SECS/5 seconds, then times 5 repetitions of it and prints the minimum and median
C     time per call in microseconds, and a checksum that keeps the calls alive.
      SUBROUTINE TIMEIT(NAME, RESET, PTS, NPTS, SECS)
      IMPLICIT NONE
      INCLUDE 'nexternal.inc'
      CHARACTER*(*) NAME
      LOGICAL RESET
      INTEGER NPTS
      REAL*8 PTS(0:3,NEXTERNAL,*), SECS
      INTEGER NREP
      PARAMETER (NREP=5)
      REAL*8 T(NREP), EL, SUM, TMP, RUNLOOP
      INTEGER*8 NCALLS
      INTEGER R, I, J
      LOGICAL HELRESET
      COMMON/HELRESET/HELRESET

C     Warm-up (also lets the filtered mode settle past MadGraph's first 20 calls).
      SUM = RUNLOOP(RESET, PTS, NPTS, INT8(40), EL)
      NCALLS = NPTS
   10 CONTINUE
      SUM = SUM + RUNLOOP(RESET, PTS, NPTS, NCALLS, EL)
      IF (EL .LT. 0.05D0) THEN
        NCALLS = NCALLS * 4
        GOTO 10
      ENDIF
      NCALLS = MAX(INT8(NPTS), INT(NCALLS * (SECS / NREP) / EL, 8))
      DO R=1,NREP
        SUM = SUM + RUNLOOP(RESET, PTS, NPTS, NCALLS, EL)
        T(R) = EL / NCALLS * 1D6
      ENDDO
      DO I=1,NREP
        DO J=I+1,NREP
          IF (T(J) .LT. T(I)) THEN
            TMP = T(I)
            T(I) = T(J)
            T(J) = TMP
          ENDIF
        ENDDO
      ENDDO
      WRITE (*,'(A,A,A,ES14.6,A,ES14.6,A,I12,A,ES14.6)') 'RESULT ',
     $  TRIM(NAME), ' min_us ', T(1), ' median_us ', T((NREP+1)/2),
     $  ' calls ', NCALLS, ' checksum ', SUM
      END

      REAL*8 FUNCTION RUNLOOP(RESET, PTS, NPTS, NCALLS, EL)
      IMPLICIT NONE
      INCLUDE 'nexternal.inc'
      LOGICAL RESET
      INTEGER NPTS
      INTEGER*8 NCALLS
      REAL*8 PTS(0:3,NEXTERNAL,*), EL
      INTEGER*8 I, C0, C1, RATE
      INTEGER K
      REAL*8 ANS, SUM
      LOGICAL HELRESET
      COMMON/HELRESET/HELRESET
      SUM = 0D0
      K = 1
      CALL SYSTEM_CLOCK(C0, RATE)
      DO I=1,NCALLS
        IF (RESET) HELRESET = .TRUE.
        CALL SMATRIX(PTS(0,1,K), ANS)
        SUM = SUM + ANS
        K = K + 1
        IF (K .GT. NPTS) K = 1
      ENDDO
      CALL SYSTEM_CLOCK(C1)
      EL = DBLE(C1 - C0) / DBLE(RATE)
      RUNLOOP = SUM
      END
